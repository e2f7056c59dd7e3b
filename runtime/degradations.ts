// What a running Keel lacks, in plain words with the one fix for each: the `npm run dev` banner
// prints these so a missing sandbox, pgvector or Redis is seen before a run trips over it.
import type { NotesStoreKind } from '../stores/notes';
import { PGVECTOR_FIX } from '../stores/notes';
import type { BashSandbox } from '../tools/sandbox';

export type DegradationInput = {
  bashSandbox: BashSandbox;
  notesStore: NotesStoreKind;
  redisUrl?: string;
};

export function describeDegradations(input: DegradationInput): string[] {
  const lines: string[] = [];
  if (input.bashSandbox.kind === 'unavailable') {
    lines.push(
      `bash is disabled: no working bubblewrap sandbox (${input.bashSandbox.failure}); every bash call is refused and the model is told why. ` +
        'Fix: sudo apt-get install bubblewrap (or KEEL_UNSAFE_BASH=1 to run bash without a sandbox, only on a machine you are willing to lose)',
    );
  }
  if (input.bashSandbox.kind === 'unsafe') {
    lines.push('bash runs WITHOUT a sandbox (KEEL_UNSAFE_BASH=1): commands see this machine\'s files and network. Fix: sudo apt-get install bubblewrap and unset KEEL_UNSAFE_BASH');
  }
  if (input.notesStore === 'exact') {
    lines.push(`notes: pgvector is missing, so recall is an exact search over each tenant's notes (slow beyond thousands). Fix: ${PGVECTOR_FIX}`);
  }
  if (!input.redisUrl) {
    lines.push('no Redis: circuit state and live events stay inside this process, so a second worker or API process would not share them. Fix: set REDIS_URL=redis://127.0.0.1:6379');
  }
  return lines;
}
