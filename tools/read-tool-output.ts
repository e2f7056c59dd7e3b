// The read_tool_output tool: pages through the full output of an earlier tool call whose result the
// context holds only as a summary (`[full output: ref <reference>, …]`). Confined to the run's own calls.
import { z } from 'zod';
import { toolError, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';

export const DEFAULT_OUTPUT_PAGE_LINES = 200;
export const MAX_OUTPUT_PAGE_LINES = 2_000;
/** Characters of output one page returns at most: a page is itself never compressed, so it stays modest. */
export const OUTPUT_PAGE_CHARACTERS = 16_000;

export const readToolOutputArgumentsSchema = z.strictObject({
  reference: z.string().min(1).max(200).describe('The ref from a "[full output: ref …]" line.'),
  offset: z.number().int().min(1).optional().describe('First line to return, 1-based (default 1).'),
  limit: z.number().int().min(1).max(MAX_OUTPUT_PAGE_LINES).optional().describe(`Most lines to return (default ${DEFAULT_OUTPUT_PAGE_LINES}).`),
});
export type ReadToolOutputArguments = z.infer<typeof readToolOutputArgumentsSchema>;

export type OutputPage = { text: string; firstLine: number; lastLine: number; totalLines: number; lineCut: boolean };

/** Lines `offset`..`offset + limit - 1` within the character cap; a first line longer than the cap is cut. */
export function outputPage(output: string, offset: number, limit: number, characterCap: number = OUTPUT_PAGE_CHARACTERS): OutputPage {
  const lines = output.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const picked: string[] = [];
  let used = 0;
  let lineCut = false;
  for (let index = offset - 1; index < Math.min(lines.length, offset - 1 + limit); index += 1) {
    const line = lines[index] ?? '';
    if (used + line.length + 1 > characterCap) {
      if (picked.length === 0) {
        picked.push(line.slice(0, characterCap));
        lineCut = true;
      }
      break;
    }
    picked.push(line);
    used += line.length + 1;
  }
  return { text: picked.join('\n'), firstLine: offset, lastLine: offset + picked.length - 1, totalLines: lines.length, lineCut };
}

export const readToolOutputTool: ToolDefinition<ReadToolOutputArguments> = {
  name: TOOL_NAMES.readToolOutput,
  description:
    'Read the full output of an earlier tool call that the conversation shows only as a summary ' +
    '("[full output: ref …]"), a page of lines at a time.',
  schema: readToolOutputArgumentsSchema,
  async run(args, context) {
    if (!context.toolOutputs) return toolError('read_tool_output is not available here: no tool outputs are stored for this run.');
    const stored = await context.toolOutputs.readOutput({ tenantId: context.tenantId, runId: context.runId }, args.reference);
    if (!stored) return toolError(`No tool output with ref "${args.reference}" in this run.`, { reference: args.reference });
    const offset = args.offset ?? 1;
    const page = outputPage(stored.output, offset, args.limit ?? DEFAULT_OUTPUT_PAGE_LINES);
    if (offset > page.totalLines) return toolError(`ref ${args.reference} has ${page.totalLines} lines; offset ${offset} is past the end.`);
    const more = page.lastLine < page.totalLines ? `; continue with offset ${page.lastLine + 1}` : '; end of output';
    const cut = page.lineCut ? `; line ${offset} is longer than ${OUTPUT_PAGE_CHARACTERS} characters and was cut` : '';
    const header = `[${stored.toolName} output ref ${args.reference}: lines ${page.firstLine}-${page.lastLine} of ${page.totalLines}${more}${cut}]`;
    return toolSuccess(`${header}\n${page.text}`, {
      reference: args.reference, firstLine: page.firstLine, lastLine: page.lastLine, totalLines: page.totalLines,
    });
  },
};
