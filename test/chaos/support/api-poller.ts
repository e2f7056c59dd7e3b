// Polls the API while a dependency is down, as clients would: reads of a run, the run list and
// new runs. Every answer is tallied by status; a 5xx must carry the JSON error body
// `{ error: { code, message } }`, anything else is counted as `bare5xx`.
import { api } from '../../support/api-client';

export type PollTally = { requests: number; byStatus: Record<string, number>; bare5xx: number; networkErrors: number; created: string[]; samples: string[] };

export function pollApi(baseUrl: string, key: string, runIds: readonly string[], body: (index: number) => Record<string, unknown>): { stop(): Promise<PollTally> } {
  const tally: PollTally = { requests: 0, byStatus: {}, bare5xx: 0, networkErrors: 0, created: [], samples: [] };
  let running = true;
  let index = 0;
  const loop = (async () => {
    while (running) {
      index += 1;
      const runId = runIds[index % runIds.length];
      const requests = [
        api(baseUrl, 'GET', `/v1/runs/${runId}`, { key }),
        api(baseUrl, 'GET', '/v1/runs?limit=5', { key }),
        api(baseUrl, 'GET', `/v1/runs/${runId}/messages?limit=5`, { key }),
        ...(index % 5 === 0 ? [api(baseUrl, 'POST', '/v1/runs', { key, body: body(index) })] : []),
      ];
      const answers = await Promise.allSettled(requests);
      for (const answer of answers) {
        tally.requests += 1;
        if (answer.status === 'rejected') {
          tally.networkErrors += 1;
          continue;
        }
        const { status, body: answered } = answer.value;
        tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
        if (status === 202 && typeof answered?.id === 'string') tally.created.push(answered.id);
        if (status >= 500) {
          const error = (answered as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
          if (typeof error?.code !== 'string' || typeof error.message !== 'string') tally.bare5xx += 1;
          if (tally.samples.length < 5) tally.samples.push(`${status} ${JSON.stringify(answered).slice(0, 300)}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return tally;
    },
  };
}
