// Finds the Temporal CLI: $TEMPORAL_CLI_PATH, then `temporal` on PATH, then .keel/bin/temporal.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const LOCAL_TEMPORAL_BIN = path.join(PROJECT_ROOT, '.keel', 'bin', 'temporal');
/** Pinned: @latest (v1.9.1) does not build from the module proxy (its `cliext` replace is not served). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findTemporalCli(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = environment.TEMPORAL_CLI_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  for (const folder of (environment.PATH ?? '').split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return isExecutable(LOCAL_TEMPORAL_BIN) ? LOCAL_TEMPORAL_BIN : undefined;
}
