// Commits a step's writes that touch the transcript and keeps the worker's transcript cache in
// step; a write that lost a race to another attempt forces a reload.
import type { RunEvent } from '../../core/events';
import type { StepWriteBatch } from '../../stores/step-writes-repository';
import type { EventRecorder } from './event-recorder';
import { TranscriptConflictError, type CachedTranscript, type TranscriptCache } from './transcript-cache';

export class StepRecorder {
  constructor(private readonly events: EventRecorder, private readonly transcripts: TranscriptCache) {}

  async commit(runId: string, tenantId: string, transcript: CachedTranscript, batch: StepWriteBatch): Promise<RunEvent[]> {
    const result = await this.events.commit(runId, tenantId, batch);
    const entries = batch.messages ?? [];
    if (result.insertedMessages !== entries.length) {
      this.transcripts.forget(runId);
      throw new TranscriptConflictError(runId);
    }
    this.transcripts.applyCommitted(transcript, entries);
    return result.events;
  }
}
