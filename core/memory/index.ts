// Semantic memory's pure policy: note shape, write (merge) decisions, ranking, vector math.
export { isLive } from './note';
export type { EmbeddedNote, Note } from './note';
export { DEFAULT_NOTE_CATEGORY, DEFAULT_NOTE_IMPORTANCE, NOTE_CATEGORY_IMPORTANCE, clampUnit, initialImportance } from './note-categories';
export {
  DEFAULT_HALF_LIFE_DAYS, DEFAULT_MEMORY_SETTINGS, DEFAULT_MERGE_SIMILARITY, DEFAULT_SCORE_WEIGHTS, DEFAULT_SEARCH_CANDIDATES,
} from './memory-settings';
export type { MemorySettings, ScoreWeights } from './memory-settings';
export { rankNotes, recencyOf, scoreNote } from './note-scoring';
export type { ScoredNote } from './note-scoring';
export { decideWrite } from './note-merge';
export type { NoteDraft, WriteDecision } from './note-merge';
export { cosineSimilarity, dot, normalizeInPlace } from './vector-math';
export type { Embedder } from './embedder';
export { AUTO_RECALL_LIMIT, RECALL_HEADER, RECALL_SOURCE_KEY, estimateTokens, recallMessageText } from './recall-context';
export {
  EXTRACTION_INSTRUCTIONS, EXTRACTION_TRANSCRIPT_CHARS, ExtractionParseError, MAX_EXTRACTED_NOTES, extractedNoteSchema,
  parseExtractedNotes, transcriptForExtraction,
} from './extracted-notes';
export type { ExtractedNote } from './extracted-notes';
