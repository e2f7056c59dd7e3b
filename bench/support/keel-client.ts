// Drives one run through Keel's public path (POST /v1/runs, then its SSE stream to the end) and
// records when each model call started.
import { startRunAndStream } from './run-stream';

export type FollowedRun = { runId: string; ms: number; status: string; steps: number; startedAt: number; stepStartedAt: number[] };

export async function followRun(apiUrl: string, apiKey: string, body: Record<string, unknown>): Promise<FollowedRun> {
  const begin = performance.now();
  const stepStartedAt: number[] = [];
  let runId = '';
  for await (const event of startRunAndStream(apiUrl, apiKey, body)) {
    if (event.type === 'run.created') runId = event.data ?? '';
    if (event.type === 'model-call.started') stepStartedAt.push(event.arrivedAt);
    if (event.terminal) {
      const terminal = JSON.parse(event.data ?? '{}') as { data?: { step?: number } };
      return { runId, ms: performance.now() - begin, status: event.type.replace('run.', ''), steps: terminal.data?.step ?? 0, startedAt: begin, stepStartedAt };
    }
  }
  throw new Error(`run ${runId}: no terminal event`);
}
