// Finds a bubblewrap that actually works here: the binary can exist yet fail inside containers
// that forbid user namespaces or mounting /proc, so it is probed by running a tiny sandbox.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BUBBLEWRAP_PROBE_TIMEOUT_MILLISECONDS = 5000;

/** The namespaces and mounts Keel's sandbox uses, around `true`. */
export const BUBBLEWRAP_PROBE_ARGUMENTS = [
  '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp',
  '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--new-session', '--cap-drop', 'ALL', '--', 'true',
] as const;

export type BubblewrapProbe = { path: string; version: string } | { path: undefined; failure: string };

let cachedProbe: Promise<BubblewrapProbe> | undefined;

/** Absolute path of a working bwrap, or undefined. Probed once per process unless `refresh` is set. */
export async function detectBubblewrap(options: { refresh?: boolean; searchPath?: string } = {}): Promise<string | undefined> {
  return (await probeBubblewrap(options)).path;
}

export function probeBubblewrap(options: { refresh?: boolean; searchPath?: string } = {}): Promise<BubblewrapProbe> {
  if (!cachedProbe || options.refresh || options.searchPath !== undefined) cachedProbe = runProbe(options.searchPath ?? process.env.PATH ?? '');
  return cachedProbe;
}

async function runProbe(searchPath: string): Promise<BubblewrapProbe> {
  const executable = await findExecutable('bwrap', searchPath);
  if (!executable) return { path: undefined, failure: 'no bwrap executable on PATH' };
  try {
    const { stdout } = await run(executable, ['--version'], { timeout: BUBBLEWRAP_PROBE_TIMEOUT_MILLISECONDS });
    await run(executable, [...BUBBLEWRAP_PROBE_ARGUMENTS], { timeout: BUBBLEWRAP_PROBE_TIMEOUT_MILLISECONDS });
    return { path: executable, version: stdout.trim() };
  } catch (error) {
    const details = error as { stderr?: string; message?: string };
    return { path: undefined, failure: `${executable} failed its probe: ${(details.stderr || details.message || String(error)).trim()}` };
  }
}

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const folder of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder; keep looking.
    }
  }
  return undefined;
}
