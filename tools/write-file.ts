// The write_file tool: create or replace a workspace file atomically, creating its folders.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-write';
import { rethrowAsToolInputError } from './file-system-errors';
import { catchToolInputErrors, toolError, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';
import { resolveWorkspacePath } from './workspace-path';

export const writeFileArgumentsSchema = z.strictObject({
  path: z.string().min(1).describe('File to write, relative to the workspace. Missing folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});
export type WriteFileArguments = z.infer<typeof writeFileArgumentsSchema>;

export const writeFileTool: ToolDefinition<WriteFileArguments> = {
  name: TOOL_NAMES.writeFile,
  description:
    'Create a file in the workspace or replace its whole content. Creates missing parent folders. ' +
    'To change part of an existing file, prefer edit_file.',
  schema: writeFileArgumentsSchema,
  run: (args, context) =>
    catchToolInputErrors(async () => {
      const target = await resolveWorkspacePath(context.workspace, args.path);
      const existing = await stat(target.absolute).catch(() => undefined);
      if (existing?.isDirectory()) return toolError(`${target.display} is a directory; give the path of a file.`);
      const bytesWritten = await writeFileAtomically(target.absolute, args.content).catch((error: unknown) =>
        rethrowAsToolInputError(error, target.display),
      );
      const verb = existing ? 'Replaced' : 'Created';
      return toolSuccess(`${verb} ${target.display} (${bytesWritten} bytes written).`, {
        path: target.display,
        bytesWritten,
        created: !existing,
      });
    }),
};
