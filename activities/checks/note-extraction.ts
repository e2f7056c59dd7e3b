// Automatic extraction: after a run, the small model reads the transcript and names the durable
// facts in it; each goes through the write path (so repeats merge with what is known). Idempotent
// per run: a marker row returns the first attempt's notes, and every note's id derives from the
// run and its content, so a retry after a partial write adds nothing twice. The call is written to
// the usage ledger under the run (purpose `extraction`).
import { createHash } from 'node:crypto';
import {
  EXTRACTION_INSTRUCTIONS, ExtractionParseError, parseExtractedNotes, transcriptForExtraction,
} from '../../core/memory';
import { textOf } from '../../core/messages';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import { MODEL_CALL_PURPOSES, usageKey } from '../../core/model-call-purposes';
import type { ModelProvider } from '../../providers/types';
import type { Logger } from '../../runtime/logger';
import type { NoteExtractionsRepository, SemanticMemory } from '../../stores/notes';
import type { TranscriptRepository } from '../../stores/transcript-repository';
import { idempotentNoteId } from '../tool-turn/notes-port';
import type { ExtractRunNotesInput, ExtractRunNotesResult } from '../contract';
import type { UsageLedger } from '../records/usage-ledger';

export const EXTRACTION_MAX_OUTPUT_TOKENS = 1024;
const TRANSCRIPT_PAGE = 5000;

export type NoteExtractionDeps = {
  memory: SemanticMemory;
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  transcripts: TranscriptRepository;
  extractions: NoteExtractionsRepository;
  /** Where the extraction's call is recorded (purpose `extraction`, once per run). */
  ledger: Pick<UsageLedger, 'record'>;
  logger?: Logger;
};

export async function extractRunNotes(deps: NoteExtractionDeps, input: ExtractRunNotesInput): Promise<ExtractRunNotesResult> {
  const earlier = await deps.extractions.find(input.runId);
  if (earlier) return { noteIds: earlier, skipped: 'already-extracted' };
  const entries = await deps.transcripts.page(input.tenantId, input.runId, 0, TRANSCRIPT_PAGE);
  const turns = entries.flatMap((entry): Array<{ role: 'user' | 'assistant'; text: string }> => {
    const message = entry.message;
    if (message.type === 'user') return [{ role: 'user', text: message.text }];
    if (message.type === 'assistant') return [{ role: 'assistant', text: textOf(message) }];
    return [];
  });
  const transcript = transcriptForExtraction(turns);
  if (!transcript) {
    await deps.extractions.record(input.runId, input.tenantId, []);
    return { noteIds: [], skipped: 'empty-transcript' };
  }

  const spec = deps.catalog.resolve(input.modelId);
  const response = await deps.providerFor(spec).complete({
    spec,
    system: EXTRACTION_INSTRUCTIONS,
    messages: [{ type: 'user', text: `The conversation:\n\n${transcript}` }],
    tools: [],
    maxOutputTokens: EXTRACTION_MAX_OUTPUT_TOKENS,
  });
  const purpose = MODEL_CALL_PURPOSES.extraction;
  await deps.ledger.record({ usageKey: usageKey({ runId: input.runId, purpose }), tenantId: input.tenantId, runId: input.runId, purpose, model: spec.id, usage: response.usage });
  const answer = textOf(response.message);
  let extracted;
  try {
    extracted = parseExtractedNotes(answer);
  } catch (error) {
    if (!(error instanceof ExtractionParseError)) throw error;
    // A model that cannot follow the format will not on a retry either; the run loses nothing.
    deps.logger?.warn({ runId: input.runId, model: spec.id, answer: answer.slice(0, 500) }, error.message);
    await deps.extractions.record(input.runId, input.tenantId, []);
    return { noteIds: [], skipped: 'unparsable' };
  }

  const noteIds: string[] = [];
  for (const note of extracted) {
    const contentKey = createHash('sha256').update(note.content.toLowerCase()).digest('hex').slice(0, 16);
    const outcome = await deps.memory.record({
      tenantId: input.tenantId, userId: input.userId, runId: input.runId,
      content: note.content, category: note.category, importance: note.importance,
      id: idempotentNoteId(input.tenantId, `extract:${input.runId}:${contentKey}`),
    });
    noteIds.push(outcome.note.id);
  }
  await deps.extractions.record(input.runId, input.tenantId, noteIds);
  deps.logger?.info({ runId: input.runId, model: spec.id, notes: noteIds.length }, 'notes extracted from the run');
  return { noteIds };
}
