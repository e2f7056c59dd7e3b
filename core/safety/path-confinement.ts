// Resolves a decoded path against the workspace: `~` and `..` lexically, then symlinks through an
// injected realpath, and says whether the result stays inside the workspace.
import path from 'node:path';

/** Stands for the user's home directory, which validation never assumes to be the workspace. */
export const HOME_PLACEHOLDER = '/~';

/** Reads the file system; returns undefined for paths that do not exist. Injected to keep rules pure. */
export type RealpathReader = { realpath(target: string): string | undefined };

export type PathContext = {
  /** Absolute, real path of the workspace. */
  workspace: string;
  /** Directory relative paths start from; undefined when a `cd` made it unknowable. */
  workingDirectory: string | undefined;
  fileSystem?: RealpathReader;
};

export type ResolvedPath = {
  /** Absolute path after `~` and `..` are applied, before symlinks. */
  lexical: string;
  /** Absolute path with existing symlinks resolved (equal to lexical without a file system). */
  real: string;
  inside: boolean;
  /** Inside by its name but outside once symlinks are followed. */
  escapesThroughSymlink: boolean;
};

/** Absolute lexical path of `text`, or undefined when it is relative to an unknown directory. */
export function resolveLexically(text: string, workingDirectory: string | undefined): string | undefined {
  const tilde = /^~([^/]*)(\/.*)?$/u.exec(text);
  if (tilde) {
    const user = tilde[1] ?? '';
    const home = user === '' ? HOME_PLACEHOLDER : user === 'root' ? '/root' : `/home/${user}`;
    return path.posix.resolve(home, `.${tilde[2] ?? ''}`);
  }
  if (path.posix.isAbsolute(text)) return path.posix.resolve(text);
  if (workingDirectory === undefined) return undefined;
  return path.posix.resolve(workingDirectory, text);
}

export function resolvePath(text: string, context: PathContext): ResolvedPath | undefined {
  const lexical = resolveLexically(text, context.workingDirectory);
  if (lexical === undefined) return undefined;
  const real = context.fileSystem && !isWithin(HOME_PLACEHOLDER, lexical) ? realPathOf(lexical, context.fileSystem) : lexical;
  const lexicallyInside = isWithin(context.workspace, lexical);
  const inside = isWithin(context.workspace, real);
  return { lexical, real, inside, escapesThroughSymlink: lexicallyInside && !inside };
}

export function isWithin(parent: string, child: string): boolean {
  const relative = path.posix.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith('../') && !path.posix.isAbsolute(relative));
}

/** How a path is shown to the model: relative inside the workspace, `~/…` for the home placeholder. */
export function displayPath(absolute: string, workspace: string): string {
  if (isWithin(workspace, absolute)) return path.posix.relative(workspace, absolute) || '.';
  if (isWithin(HOME_PLACEHOLDER, absolute)) return `~${absolute.slice(HOME_PLACEHOLDER.length)}`;
  return absolute;
}

/** Real path of the deepest existing ancestor with the missing rest appended. */
function realPathOf(absolute: string, fileSystem: RealpathReader): string {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    const real = fileSystem.realpath(current);
    if (real !== undefined) return path.posix.join(real, ...missing);
    const parent = path.posix.dirname(current);
    if (parent === current) return absolute;
    missing.unshift(path.posix.basename(current));
    current = parent;
  }
}
