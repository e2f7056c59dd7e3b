// The edit_file tool: replace an exact piece of text in a workspace file. Crash-safe: the intent
// (hash of the new content) is stored before writing, so a retried call recognises its own edit.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-write';
import { isBinaryFile } from './binary-detection';
import { readEditIntent, recordEditIntent, sha256 } from './edit-intent';
import { rethrowAsToolInputError } from './file-system-errors';
import { catchToolInputErrors, toolError, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';
import { resolveWorkspacePath } from './workspace-path';

export const editFileArgumentsSchema = z.strictObject({
  path: z.string().min(1).describe('File to edit, relative to the workspace.'),
  old_text: z.string().min(1).describe('Exact text to replace, including whitespace; must occur exactly once unless replace_all.'),
  new_text: z.string().describe('Text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one (default false).'),
});
export type EditFileArguments = z.infer<typeof editFileArgumentsSchema>;

export const editFileTool: ToolDefinition<EditFileArguments> = {
  name: TOOL_NAMES.editFile,
  description:
    'Replace exact text in an existing workspace file. old_text must match the file exactly (whitespace included) ' +
    'and occur once; include surrounding lines to make it unique, or set replace_all to change every occurrence.',
  schema: editFileArgumentsSchema,
  run: (args, context) =>
    catchToolInputErrors(async () => {
      const target = await resolveWorkspacePath(context.workspace, args.path);
      const content = await readFile(target.absolute, 'utf8').catch((error: unknown) => rethrowAsToolInputError(error, target.display));
      const intent = await readEditIntent(context.jobsDir, context.callId);
      if (intent && intent.path === target.absolute && intent.expectedSha256 === sha256(content)) {
        return toolSuccess(`Edited ${target.display} (the edit was already applied by an earlier attempt of this call).`, {
          path: target.display,
          alreadyApplied: true,
        });
      }
      if (await isBinaryFile(target.absolute)) return toolError(`${target.display} is a binary file; edit_file only changes text.`);
      const occurrences = countOccurrences(content, args.old_text);
      if (occurrences === 0) {
        return toolError(`old_text occurs 0 times in ${target.display}; read the file and copy the text exactly, whitespace included.`, {
          path: target.display,
          occurrences,
        });
      }
      if (occurrences > 1 && !args.replace_all) {
        return toolError(
          `old_text occurs ${occurrences} times in ${target.display}; include more context to make it unique, or set replace_all.`,
          { path: target.display, occurrences },
        );
      }
      const updated = args.replace_all ? content.split(args.old_text).join(args.new_text) : replaceOnce(content, args.old_text, args.new_text);
      await recordEditIntent(context.jobsDir, context.callId, target.absolute, updated);
      const bytesWritten = await writeFileAtomically(target.absolute, updated);
      const replaced = occurrences === 1 ? '1 occurrence' : `${occurrences} occurrences`;
      return toolSuccess(`Edited ${target.display}: replaced ${replaced}.`, { path: target.display, occurrences, bytesWritten });
    }),
};

/** Non-overlapping occurrences, the ones a replacement would change. */
function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length)) count += 1;
  return count;
}

/** Plain-text replacement; `String.replace` would interpret `$&` and friends in new_text. */
function replaceOnce(text: string, search: string, replacement: string): string {
  const index = text.indexOf(search);
  return text.slice(0, index) + replacement + text.slice(index + search.length);
}
