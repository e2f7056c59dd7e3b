// Finds the Temporal CLI or installs it into .keel/bin: with Go, `go install` of the pinned release
// (a build of a few minutes); without Go, the download @temporalio/testing performs.
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_TEMPORAL_BIN, TEMPORAL_CLI_VERSION, findTemporalCli } from './temporal-cli';

const MODULE = 'github.com/temporalio/cli/cmd/temporal';

function run(command: string, args: string[], environment: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: environment, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function hasGo(): Promise<boolean> {
  try {
    return (await run('go', ['version'], process.env)) === 0;
  } catch {
    return false;
  }
}

async function installWithGo(): Promise<void> {
  const started = Date.now();
  console.log(`[keel] building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into .keel/bin (takes a few minutes the first time)...`);
  const ticker = setInterval(() => console.log(`[keel] ...still building (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  try {
    const code = await run('go', ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], { ...process.env, GOBIN: path.dirname(LOCAL_TEMPORAL_BIN) });
    if (code !== 0) throw new Error(`go install ${MODULE}@${TEMPORAL_CLI_VERSION} exited with ${code}; check network access to the Go module proxy (GOPROXY), or set TEMPORAL_CLI_PATH to an existing temporal binary`);
  } finally {
    clearInterval(ticker);
  }
  console.log(`[keel] Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function installByDownload(): Promise<void> {
  console.log('[keel] Go not found: downloading the Temporal CLI the way @temporalio/testing does...');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: path.dirname(LOCAL_TEMPORAL_BIN) } } });
  await env.teardown();
  const found = findTemporalCli({ PATH: '' }) ?? (await findDownloaded());
  if (!found) throw new Error('the download finished but no temporal binary was found in .keel/bin; set TEMPORAL_CLI_PATH');
  if (found !== LOCAL_TEMPORAL_BIN) await copyFile(found, LOCAL_TEMPORAL_BIN);
}

async function findDownloaded(): Promise<string | undefined> {
  const { readdir } = await import('node:fs/promises');
  const folder = path.dirname(LOCAL_TEMPORAL_BIN);
  const names = await readdir(folder);
  const binary = names.find((name) => name.startsWith('temporal') && name !== 'temporal');
  return binary ? path.join(folder, binary) : undefined;
}

export async function ensureTemporalCli(): Promise<string> {
  const existing = findTemporalCli();
  if (existing) return existing;
  await mkdir(path.dirname(LOCAL_TEMPORAL_BIN), { recursive: true });
  if (await hasGo()) await installWithGo();
  else await installByDownload();
  const installed = findTemporalCli();
  if (!installed) throw new Error('the Temporal CLI could not be installed; set TEMPORAL_CLI_PATH to a temporal binary');
  return installed;
}

if (require.main === module) {
  ensureTemporalCli()
    .then((cli) => console.log(`[keel] Temporal CLI: ${cli}`))
    .catch((error: Error) => {
      console.error(`[keel] ${error.message}`);
      process.exit(1);
    });
}
