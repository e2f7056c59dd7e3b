// `keel run "task"`: starts a run, follows its events (text as it streams, each tool call, reviews it
// waits for) on stderr, prints the answer on stdout; exit 0 when the run completed, 1 otherwise.
// The stream is resumed from the last event id when the connection drops; Ctrl-C cancels the run.
import { completedOutcome, deltaShape, runEventShape, runShape, type RunShape } from '../api-shapes';
import type { CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

export type RunOptions = { model?: string; agent?: string; quiet?: boolean };

/** Reconnects after a dropped stream before the CLI gives up following (the run goes on). */
export const MAX_STREAM_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 500;
const PREVIEW_CHARS = 160;

export async function runCommand(client: KeelClient, io: CliIo, task: string, options: RunOptions): Promise<number> {
  const run = await client.request('POST', '/v1/runs', runShape, {
    message: task,
    ...(options.model !== undefined && { model: options.model }),
    ...(options.agent !== undefined && { agent: options.agent }),
  });
  const progress = (text: string) => { if (!options.quiet) io.err(text); };
  progress(`run ${run.id}${run.agent ? ` (agent ${run.agent.name}@${run.agent.version})` : ''}\n`);

  const controller = new AbortController();
  const onInterrupt = () => {
    controller.abort();
    progress('\ncancelling the run...\n');
    void client.request('POST', `/v1/runs/${run.id}/cancel`, runCancelShape, { reason: 'cancelled from the keel CLI' }).catch(() => undefined);
  };
  process.once('SIGINT', onInterrupt);
  try {
    await follow(client, run.id, progress, controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (controller.signal.aborted) return 130;
  const finished = await client.request('GET', `/v1/runs/${run.id}`, runShape);
  return report(io, finished);
}

const runCancelShape = runShape.pick({ id: true });

async function follow(client: KeelClient, runId: string, progress: (text: string) => void, signal: AbortSignal): Promise<void> {
  let lastEventId: string | undefined;
  let midLine = false;
  const line = (text: string) => {
    progress(`${midLine ? '\n' : ''}${text}\n`);
    midLine = false;
  };
  for (let attempt = 0; attempt <= MAX_STREAM_RECONNECTS; attempt += 1) {
    try {
      for await (const message of client.events(runId, lastEventId, signal)) {
        if (message.id) lastEventId = message.id;
        if (message.event === 'delta') {
          const delta = deltaShape.safeParse(JSON.parse(message.data));
          if (delta.success && delta.data.kind === 'text' && delta.data.text) {
            progress(delta.data.text);
            midLine = !delta.data.text.endsWith('\n');
          }
          continue;
        }
        const event = runEventShape.safeParse(JSON.parse(message.data));
        if (!event.success) continue;
        const described = describeEvent(event.data.type, event.data.data);
        if (described) line(described);
      }
      if (midLine) progress('\n');
      return;
    } catch (error) {
      if (signal.aborted) return;
      if (attempt === MAX_STREAM_RECONNECTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
    }
  }
}

/** One line for the events a person following the run cares about; nothing for the rest. */
export function describeEvent(type: string, data: Record<string, unknown>): string | undefined {
  switch (type) {
    case 'tool-call.started':
      return `→ ${String(data.toolName)} ${preview(JSON.stringify(data.arguments ?? {}))}`;
    case 'tool-call.finished':
      return `${data.isError === true ? '✗' : '✓'} ${String(data.toolName)}${typeof data.outputPreview === 'string' ? ` ${preview(data.outputPreview)}` : ''}`;
    case 'review.requested':
      return `⏸ waiting for review ${String(data.reviewId)}: ${String(data.summary)} (keel reviews approve|reject ${String(data.reviewId)})`;
    case 'review.decided':
      return `▶ review ${String(data.reviewId)}: ${String(data.action)} by ${String(data.decidedBy)}`;
    case 'model-call.failed':
      return `! model call failed: ${preview(String(data.error ?? data.message ?? ''))}`;
    default:
      return undefined;
  }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}…` : flat;
}

function report(io: CliIo, run: RunShape): number {
  const answer = completedOutcome.safeParse(run.outcome);
  if (run.status === 'completed' && answer.success) {
    io.out(`${answer.data.answer}\n`);
    return 0;
  }
  io.err(`run ${run.id} ended ${run.status}${run.lastError ? `: ${run.lastError}` : ''}${run.outcome ? ` ${JSON.stringify(run.outcome)}` : ''}\n`);
  return 1;
}
