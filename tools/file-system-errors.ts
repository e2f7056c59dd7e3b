// Turns file-system errors caused by the model's request (missing file, folder instead of file...)
// into `ToolInputError`s with a message naming the path; other errors stay infrastructure failures.
import { ToolInputError } from './tool-result';

const EXPLANATIONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'goes through something that is not a directory',
  EACCES: 'cannot be accessed (permission denied)',
  EPERM: 'cannot be accessed (operation not permitted)',
  ENAMETOOLONG: 'is too long',
  ELOOP: 'goes through a loop of symbolic links',
  EEXIST: 'conflicts with an existing file',
};

/** Rethrows `error` as a `ToolInputError` about `displayPath` when the model can fix it, else as it is. */
export function rethrowAsToolInputError(error: unknown, displayPath: string): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const explanation = code ? EXPLANATIONS[code] : undefined;
  if (explanation) throw new ToolInputError(`${displayPath} ${explanation}.`);
  throw error;
}
