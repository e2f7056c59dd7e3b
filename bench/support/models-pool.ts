// The pool and model-server script of `bench:models`: two identical streaming models (`fast`,
// routed to by `complex`, and `fast-backup`, the fallback tier) and a `refuser` in the backup
// tier (routed to by `medium`) that answers 403 at once, so a `medium` run fails over exactly once.
// The circuit threshold is out of reach: every measured run must pay for its failover.
import { stringify } from 'yaml';

export const BENCH_MODEL_DELAY_MS = 50;
export const BENCH_ANSWER = 'Streaming answer from the local model server, word by word.';
export const FIRST_PIECE = 'Streaming ';
/** A message containing this gets a quick tool call first, then the streamed answer in a second step. */
export const TWO_STEP_MARKER = 'two-step';

function model(id: string, name: string, baseURL: string) {
  return {
    id, provider: 'openai', model: name, baseURL,
    pricing: { inputPerMillion: 1, outputPerMillion: 2 },
    contextWindow: 200_000,
    capabilities: { tools: true, vision: false, reasoning: false },
    speed: 'fast',
  };
}

export function benchPoolYaml(openaiBaseURL: string): string {
  return stringify({
    complexityTiers: { simple: 'fallback', medium: 'backup', complex: 'primary' },
    tiers: {
      primary: [model('fast', 'bench-fast', openaiBaseURL)],
      backup: [model('refuser', 'bench-refuser', openaiBaseURL)],
      fallback: [model('fast-backup', 'bench-fast-backup', openaiBaseURL)],
    },
    circuit: { failureThreshold: 1_000_000_000, cooldownSeconds: 1 },
    health: { intervalMinutes: 1440 },
  });
}

/** The model server's script: the refuser says 403 at once, every other model streams the answer after a fixed delay. */
export const BENCH_SCENARIO = {
  name: 'bench-models',
  models: 'bench-*',
  rules: [
    { model: 'bench-refuser', fault: { status: 403, message: 'this key may not use the model' } },
    { turn: 0, promptIncludes: TWO_STEP_MARKER, reply: { toolCalls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }] } },
    { reply: { text: BENCH_ANSWER, delayMs: BENCH_MODEL_DELAY_MS } },
  ],
};
