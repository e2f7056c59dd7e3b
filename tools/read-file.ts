// The read_file tool: numbered lines of a workspace text file, a window at a time, cut to a token
// budget (counted with tiktoken) so one read cannot flood the model's context.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { ENCODING_NAMES } from '../core/context/model-encoding';
import { countTextTokens } from '../core/context/text-tokens';
import { isBinaryFile } from './binary-detection';
import { rethrowAsToolInputError } from './file-system-errors';
import { readNumberedLines } from './numbered-lines';
import { catchToolInputErrors, toolError, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';
import { resolveWorkspacePath } from './workspace-path';

export const DEFAULT_READ_LINE_LIMIT = 2000;
/** Tokens of numbered output per call (about 100,000 characters of code). */
export const DEFAULT_READ_TOKEN_BUDGET = 25_000;
/**
 * The tool does not know the run's model: cl100k_base counts every model Keel does not count exactly,
 * and is within a few percent of o200k on code and prose.
 */
const READ_BUDGET_ENCODING = ENCODING_NAMES.cl100k;
export const MAX_READ_LINE_CHARACTERS = 2000;

export const readFileArgumentsSchema = z.strictObject({
  path: z.string().min(1).describe('File to read, relative to the workspace.'),
  offset: z.number().int().min(1).optional().describe('First line to read, 1-based (default 1).'),
  limit: z.number().int().min(1).optional().describe(`Most lines to read (default ${DEFAULT_READ_LINE_LIMIT}).`),
});
export type ReadFileArguments = z.infer<typeof readFileArgumentsSchema>;

export type ReadFileToolOptions = { tokenBudget?: number; maxLineCharacters?: number };

const lineTokens = (formattedLine: string): number => countTextTokens(READ_BUDGET_ENCODING, formattedLine);

export function createReadFileTool(options: ReadFileToolOptions = {}): ToolDefinition<ReadFileArguments> {
  const tokenBudget = options.tokenBudget ?? DEFAULT_READ_TOKEN_BUDGET;
  const maxLineCharacters = options.maxLineCharacters ?? MAX_READ_LINE_CHARACTERS;
  return {
    name: TOOL_NAMES.readFile,
    description:
      'Read a text file from the workspace. Lines come numbered like `cat -n` (number, tab, text). ' +
      `Reads up to ${DEFAULT_READ_LINE_LIMIT} lines and about ${tokenBudget} tokens from \`offset\`; ` +
      'a longer read is cut at a line boundary with a note saying where; use offset and limit to page through big files.',
    schema: readFileArgumentsSchema,
    run: (args, context) =>
      catchToolInputErrors(async () => {
        const target = await resolveWorkspacePath(context.workspace, args.path);
        const stats = await stat(target.absolute).catch((error: unknown) => rethrowAsToolInputError(error, target.display));
        if (stats.isDirectory()) return toolError(`${target.display} is a directory; list it with bash (\`ls ${target.display}\`).`);
        const metadata = { path: target.display, bytes: stats.size };
        if (stats.size === 0) return toolSuccess(`(${target.display} is empty)`, { ...metadata, totalLines: 0 });
        if (await isBinaryFile(target.absolute)) {
          return toolError(`${target.display} is a binary file (${stats.size} bytes); read_file only shows text.`, { ...metadata, binary: true });
        }
        const offset = args.offset ?? 1;
        const lines = await readNumberedLines(target.absolute, {
          offset,
          limit: args.limit ?? DEFAULT_READ_LINE_LIMIT,
          budget: tokenBudget,
          lineCost: lineTokens,
          maxLineCharacters,
        });
        const total = lines.totalLines === undefined ? 'more than that' : String(lines.totalLines);
        if (lines.lastLine < offset) {
          return toolError(`offset ${offset} is past the end of ${target.display}, which has ${lines.totalLines ?? 'fewer'} lines.`, metadata);
        }
        const notes: string[] = [];
        if (lines.stoppedBy === 'budget' && lines.moreFollow) {
          notes.push(
            `[Output cut after line ${lines.lastLine} to stay within ${tokenBudget} tokens; the file has ${total} lines. ` +
              `Read further with offset=${lines.lastLine + 1} (and a smaller limit to read less at once).]`,
          );
        } else if (lines.moreFollow) {
          notes.push(`[Showing lines ${offset}-${lines.lastLine}; the file has ${total} lines. Read further with offset=${lines.lastLine + 1}.]`);
        }
        if (lines.linesCut > 0) notes.push(`[${lines.linesCut} long lines were cut to ${maxLineCharacters} characters.]`);
        const output = notes.length > 0 ? `${lines.text}\n\n${notes.join('\n')}` : lines.text;
        return toolSuccess(output, {
          ...metadata,
          firstLine: offset,
          lastLine: lines.lastLine,
          totalLines: lines.totalLines,
          truncated: lines.moreFollow,
          linesCut: lines.linesCut,
        });
      }),
  };
}

export const readFileTool = createReadFileTool();
