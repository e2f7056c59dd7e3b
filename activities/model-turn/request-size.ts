// Sizes a step's request for the pool's admission checks without re-serialising the transcript on
// every step: each entry's size is remembered (entries are shared with the transcript cache), and
// tool definitions are measured once per tool set. Tokens are estimated as characters / 4.
import { estimateTokens, serialisedCharacters } from '../../core/model-pool';
import type { ToolSpec } from '../../core/tool-spec';
import type { TranscriptEntry } from '../../stores/transcript-repository';

const entryCharacters = new WeakMap<TranscriptEntry, number>();
const toolSetCharacters = new Map<string, number>();
const MAX_REMEMBERED_TOOL_SETS = 100;

export function transcriptCharacters(entries: readonly TranscriptEntry[]): number {
  let total = 0;
  for (const entry of entries) {
    let size = entryCharacters.get(entry);
    if (size === undefined) {
      size = serialisedCharacters(entry.message);
      entryCharacters.set(entry, size);
    }
    total += size;
  }
  return total;
}

export function toolCharacters(toolNames: readonly string[], specs: () => ToolSpec[]): number {
  const key = toolNames.join(',');
  let size = toolSetCharacters.get(key);
  if (size === undefined) {
    size = serialisedCharacters(specs());
    if (toolSetCharacters.size >= MAX_REMEMBERED_TOOL_SETS) toolSetCharacters.clear();
    toolSetCharacters.set(key, size);
  }
  return size;
}

export function requestTokens(entries: readonly TranscriptEntry[], toolNames: readonly string[], specs: () => ToolSpec[], extraCharacters = 0): number {
  return estimateTokens(transcriptCharacters(entries) + toolCharacters(toolNames, specs) + extraCharacters);
}

/**
 * Characters of what context truncation can never drop (system messages, the latest user message):
 * with truncation wired into every call, this, not the whole transcript, decides whether a model fits.
 */
export function mustKeepCharacters(entries: readonly TranscriptEntry[]): number {
  const latestUser = entries.findLastIndex((entry) => entry.message.type === 'user');
  let total = 0;
  entries.forEach((entry, index) => {
    if (index === latestUser || entry.message.type === 'system') total += transcriptCharacters([entry]);
  });
  return total;
}
