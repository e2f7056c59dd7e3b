// The bash_output tool: the output a background job wrote since the last poll, and whether it still runs.
// Each poll's byte range is recorded under its own call id, so a retried poll returns the same text.
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { completeUtf8Length, DEFAULT_OUTPUT_CAP_CHARACTERS, readCappedRange } from './capped-output';
import { JOB_FILES, jobFile, readPollRecord, readReadOffset, writeJson, writePollRecord, type PollRecord } from './job-files';
import { JOB_ID_PATTERN } from './job-id';
import { describeJobStatus, findJob } from './job-lookup';
import { catchToolInputErrors, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';

export const bashOutputArgumentsSchema = z.strictObject({
  job_id: z.string().min(1).describe('The job_id the bash tool returned for a background command.'),
});
export type BashOutputArguments = z.infer<typeof bashOutputArgumentsSchema>;

export function createBashOutputTool(options: { outputCap?: number } = {}): ToolDefinition<BashOutputArguments> {
  const outputCap = options.outputCap ?? DEFAULT_OUTPUT_CAP_CHARACTERS;
  return {
    name: TOOL_NAMES.bashOutput,
    description: 'Read the output a background bash job wrote since the previous bash_output call, and whether it is still running.',
    schema: bashOutputArgumentsSchema,
    run: (args, context) =>
      catchToolInputErrors(async () => {
        const found = await findJob(context.jobsDir, args.job_id);
        const outputFile = jobFile(found.folder, JOB_FILES.output);
        const range = await nextRange(found.folder, outputFile, context.callId, found.status.kind === 'running');
        const output = await readCappedRange(outputFile, range.from, range.to, outputCap);
        const status = describeJobStatus(found.status);
        const shown = output.text === '' ? '(no new output)' : output.text;
        return toolSuccess(`${shown}\n\n[job ${args.job_id}: ${status}]`, {
          jobId: args.job_id,
          status: found.status.kind,
          exitCode: found.status.kind === 'exited' ? found.status.exitCode : undefined,
          fromByte: range.from,
          toByte: range.to,
          outputTruncated: output.truncated,
        });
      }),
  };
}

/** The byte range this poll returns: the recorded one on a retry, else from the read offset to the end. */
async function nextRange(folder: string, outputFile: string, callId: string, stillRunning: boolean): Promise<PollRecord> {
  const recordable = JOB_ID_PATTERN.test(callId);
  const recorded = recordable ? await readPollRecord(folder, callId) : undefined;
  if (recorded) return recorded;
  const from = await readReadOffset(folder);
  const size = await stat(outputFile).then((stats) => stats.size, () => 0);
  // A character still being written is left for the next poll rather than split in two.
  const to = stillRunning ? await withoutCutCharacter(outputFile, from, size) : size;
  const range = { from, to: Math.max(from, to) };
  if (recordable) await writePollRecord(folder, callId, range);
  await writeJson(jobFile(folder, JOB_FILES.readOffset), range.to);
  return range;
}

async function withoutCutCharacter(file: string, from: number, to: number): Promise<number> {
  const start = Math.max(from, to - 3);
  if (to <= start) return to;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return start + completeUtf8Length(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export const bashOutputTool = createBashOutputTool();
