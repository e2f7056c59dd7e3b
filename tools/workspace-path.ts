// Confines user-supplied paths to the run's workspace: decoding, normalisation and symlink resolution
// happen before the containment check, so `%2e%2e/x` or a symlink pointing outside cannot escape.
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolInputError } from './tool-result';

/** Symbolic links followed while resolving one path before giving up (the kernel's own limit is 40). */
export const MAX_SYMLINK_HOPS = 40;

/** Thrown when a path, once decoded and with its symlinks resolved, lies outside the workspace. */
export class PathOutsideWorkspaceError extends ToolInputError {
  constructor(readonly requestedPath: string) {
    super(
      `Path "${requestedPath}" is outside the workspace; only files inside the workspace can be used. ` +
        'Give a path relative to the workspace (for example "src/index.ts").',
    );
    this.name = 'PathOutsideWorkspaceError';
  }
}

/** Thrown when a path cannot name a file at all (NUL byte, symlink loop). */
export class InvalidPathError extends ToolInputError {
  constructor(
    readonly requestedPath: string,
    readonly reason: string,
  ) {
    super(`Path "${requestedPath}" is invalid: ${reason}.`);
    this.name = 'InvalidPathError';
  }
}

export type WorkspacePath = {
  /** Absolute path with every existing symlink resolved; safe to open. */
  absolute: string;
  /** Path relative to the workspace, for messages to the model ("." for the workspace itself). */
  display: string;
};

/** Resolves `requestedPath` against `workspace`, or throws when it is invalid or escapes the workspace. */
export async function resolveWorkspacePath(workspace: string, requestedPath: string): Promise<WorkspacePath> {
  const decoded = decodePercentEncoding(requestedPath).normalize('NFC');
  if (decoded.includes('\0')) throw new InvalidPathError(requestedPath, 'it contains a NUL byte');
  const realWorkspace = await realpath(workspace);
  const absolute = await resolveSymlinks(path.resolve(realWorkspace, decoded), requestedPath, 0);
  const relative = path.relative(realWorkspace, absolute);
  if (!isInside(relative)) throw new PathOutsideWorkspaceError(requestedPath);
  return { absolute, display: relative === '' ? '.' : relative };
}

function isInside(relative: string): boolean {
  if (relative === '') return true;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** A `%` that does not start a valid escape ("50%.txt") is kept as it is. */
function decodePercentEncoding(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Real path of the deepest existing ancestor with the missing rest appended. A dangling symlink on the
 * way is followed by hand, because writing through it would create its (possibly outside) target.
 */
async function resolveSymlinks(absolute: string, requestedPath: string, hops: number): Promise<string> {
  let existing = absolute;
  const missing: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new InvalidPathError(requestedPath, 'it goes through a loop of symbolic links');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const stats = await lstat(existing).catch(() => undefined);
    if (stats?.isSymbolicLink()) {
      if (hops >= MAX_SYMLINK_HOPS) throw new InvalidPathError(requestedPath, 'it goes through too many symbolic links');
      // `..` in the target is relative to the link's real folder, as the kernel resolves it.
      const linkFolder = await realpath(path.dirname(existing));
      const target = await readlink(existing);
      return resolveSymlinks(path.resolve(linkFolder, target, ...missing), requestedPath, hops + 1);
    }
    const parent = path.dirname(existing);
    if (parent === existing) return path.join(existing, ...missing);
    missing.unshift(path.basename(existing));
    existing = parent;
  }
}
