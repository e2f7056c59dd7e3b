// Per-worker cache of run transcripts so a step reads only what it has not seen (O(new) per step,
// not O(transcript)). Bounded LRU; correctness never depends on it (misses reload from storage).
import type { TranscriptEntry, TranscriptRepository } from '../../stores/transcript-repository';

export const DEFAULT_TRANSCRIPT_CACHE_RUNS = 2000;

/** Thrown when another attempt wrote to the transcript first; a retry reloads and sees its work. */
export class TranscriptConflictError extends Error {
  constructor(readonly runId: string) {
    super(`transcript of ${runId} changed under this attempt; retrying with a fresh read`);
    this.name = 'TranscriptConflictError';
  }
}

export type CachedTranscript = { entries: TranscriptEntry[]; lastSeq: number };

export class TranscriptCache {
  private readonly runs = new Map<string, CachedTranscript>();

  constructor(private readonly repository: TranscriptRepository, private readonly maxRuns = DEFAULT_TRANSCRIPT_CACHE_RUNS) {}

  /**
   * The run's transcript. Storage is read only for what the cache lacks; a warm cache that is at the
   * workflow's `expectedSeq` skips the read entirely (`mustRead` forces it, e.g. on a retry, when
   * another attempt may have written since).
   */
  async load(runId: string, expectedSeq: number, mustRead = false): Promise<CachedTranscript> {
    const cached = this.runs.get(runId);
    if (cached) this.runs.delete(runId);
    const transcript = cached ?? { entries: [], lastSeq: 0 };
    if (!cached || mustRead || transcript.lastSeq !== expectedSeq) {
      const fresh = await this.repository.loadAfter(runId, transcript.lastSeq);
      for (const entry of fresh) transcript.entries.push(entry);
      if (fresh.length > 0) transcript.lastSeq = fresh[fresh.length - 1]!.seq;
    }
    this.runs.set(runId, transcript);
    this.evict();
    return transcript;
  }

  /** Adds entries that were committed to storage (see StepRecorder) to the cached transcript. */
  applyCommitted(transcript: CachedTranscript, entries: readonly TranscriptEntry[]): void {
    for (const entry of entries) transcript.entries.push(entry);
    if (entries.length > 0) transcript.lastSeq = entries[entries.length - 1]!.seq;
  }

  forget(runId: string): void {
    this.runs.delete(runId);
  }

  private evict(): void {
    while (this.runs.size > this.maxRuns) {
      const oldest = this.runs.keys().next().value;
      if (oldest === undefined) return;
      this.runs.delete(oldest);
    }
  }
}
