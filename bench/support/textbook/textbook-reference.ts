// Starts the textbook loop's worker beside Keel, on the same dev server and model server, and runs
// conversations through it the way a textbook client does: start the workflow, await its result.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ulid } from 'ulid';
import type { TextbookLoopInput } from './textbook-workflow';

export type TextbookReference = {
  pid: number;
  /** Milliseconds from start to result of one conversation. */
  run(input: Omit<TextbookLoopInput, 'workspace'> & { workflowId?: string }): Promise<{ ms: number; workflowId: string }>;
  close(): Promise<void>;
};

export async function startTextbookReference(options: { temporalClient: Client; temporalAddress: string; modelServerUrl: string; scratch: string }): Promise<TextbookReference> {
  const taskQueue = `textbook-${ulid()}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'textbook-process.ts')], {
    env: { ...process.env, TEMPORAL_ADDRESS: options.temporalAddress, TEXTBOOK_TASK_QUEUE: taskQueue, KEEL_MODEL_SERVER_URL: options.modelServerUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = await waitForReady(child);
  return {
    pid,
    async run(input) {
      const workflowId = input.workflowId ?? `textbook-${ulid()}`;
      const begin = performance.now();
      await options.temporalClient.workflow.execute('textbookLoop', {
        taskQueue, workflowId, args: [{ ...input, workspace: path.join(options.scratch, 'textbook', workflowId) }],
      });
      return { ms: performance.now() - begin, workflowId };
    },
    async close() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function waitForReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('TEXTBOOK_READY '));
      if (line) resolve((JSON.parse(line.slice('TEXTBOOK_READY '.length)) as { pid: number }).pid);
    });
    child.once('exit', (code) => reject(new Error(`textbook worker exited with ${code} before it was ready`)));
  });
}
