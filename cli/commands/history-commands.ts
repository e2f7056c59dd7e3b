// `keel history download <run>` (the run's workflow history JSON, from GET /v1/runs/:id/history) and
// `keel replay <file>` (that history replayed against this checkout's workflow code: nondeterminism
// is reported and exits 1). Replay needs the Temporal worker package and the workflows folder.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyShape } from '../api-shapes';
import type { CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

/** Thrown when a history file cannot be read or is not a workflow history. */
export class HistoryFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'HistoryFileError';
  }
}

export async function downloadHistory(client: KeelClient, io: CliIo, runId: string, options: { output?: string }): Promise<number> {
  const history = await client.request('GET', `/v1/runs/${encodeURIComponent(runId)}/history`, historyShape);
  const json = `${JSON.stringify(history, null, 2)}\n`;
  if (options.output === undefined || options.output === '-') {
    io.out(json);
  } else {
    await writeFile(options.output, json);
    io.err(`wrote ${history.events.length} events of ${runId} to ${options.output}\n`);
  }
  return 0;
}

/** The workflow code a replay runs: a prebuilt bundle (KEEL_WORKFLOW_BUNDLE), else this checkout's workflows/. */
function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = process.env.KEEL_WORKFLOW_BUNDLE;
  return bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: path.join(__dirname, '..', '..', 'workflows', 'index.ts') };
}

export async function replayHistory(io: CliIo, file: string): Promise<number> {
  let history: unknown;
  try {
    history = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new HistoryFileError(file, (error as Error).message);
  }
  const parsed = historyShape.safeParse(history);
  if (!parsed.success || parsed.data.events.length === 0) throw new HistoryFileError(file, 'not a workflow history (no "events")');
  // Loaded on demand: the worker package (native core, webpack) is heavy and only replay needs it.
  const { DefaultLogger, Runtime, Worker } = await import('@temporalio/worker');
  // Core's own warning about the failing task repeats the error: only errors of ours are shown.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
  const workflowId = `replay-${path.basename(file, '.json')}`;
  io.err(`replaying ${parsed.data.events.length} events of ${file} against the current workflow code...\n`);
  try {
    await Worker.runReplayHistory(workflowCode(), history, workflowId);
  } catch (error) {
    const name = (error as Error).name;
    const nondeterministic = name === 'DeterminismViolationError';
    io.out(`${nondeterministic ? 'nondeterminism' : `replay failed (${name})`}: ${(error as Error).message}\n`);
    return 1;
  }
  io.out(`ok: ${parsed.data.events.length} events replayed deterministically\n`);
  return 0;
}
