// Starts `temporal server start-dev` (SQLite file under .keel/, tuned, Keel's search attributes)
// and waits until it accepts connections. Reuses a server already listening on the port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_ARGS, TUNED_DEV_SERVER_ARGS } from '../worker/dev-server-args';

export type DevServer = { address: string; uiUrl: string; reused: boolean; pid?: number; stop(): Promise<void> };

export type DevServerOptions = {
  cli: string; home: string; port: number; uiPort: number; host?: string;
  /** The Web UI's remote codec (`--ui-codec-endpoint`): it shows encrypted payloads decoded. */
  uiCodecEndpoint?: string;
};

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const address = `${host}:${options.port}`;
  const uiUrl = `http://${host}:${options.uiPort}`;
  if (await portOpen(host, options.port)) return { address, uiUrl, reused: true, stop: async () => undefined };

  const log = createWriteStream(path.join(options.home, 'temporal.log'), { flags: 'a' });
  const child: ChildProcess = spawn(options.cli, [
    'server', 'start-dev',
    '--ip', host, '--port', String(options.port), '--ui-port', String(options.uiPort),
    '--db-filename', path.join(options.home, 'temporal.db'),
    '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_ARGS,
    ...TUNED_DEV_SERVER_ARGS,
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exitCode: number | null = null;
  child.on('exit', (code) => { exitCode = code ?? 1; });

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(host, options.port))) {
    if (exitCode !== null) throw new Error(`temporal server start-dev exited with ${exitCode}; see ${path.join(options.home, 'temporal.log')}`);
    if (Date.now() > deadline) throw new Error('temporal server start-dev did not listen within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    address,
    uiUrl,
    reused: false,
    pid: child.pid,
    stop: () => new Promise<void>((resolve) => {
      if (exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}
