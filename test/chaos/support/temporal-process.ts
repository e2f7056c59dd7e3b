// A Temporal dev server of the test's own (not the shared one) on a SQLite file, so the test can
// SIGKILL it and start it again on the same file and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTemporalCli } from '../../../scripts/temporal-cli';
import { SEARCH_ATTRIBUTE_ARGS, TUNED_DEV_SERVER_ARGS } from '../../../worker/dev-server-args';
import { freePort, waitForPort } from './redis-process';
import { killProcess } from '../../support/worker-process';

export class TemporalProcess {
  private child: ChildProcess | undefined;
  readonly dbFile: string;

  private constructor(private readonly cli: string, readonly port: number, private readonly uiPort: number) {
    this.dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'keel-chaos-temporal-')), 'temporal.db');
  }

  static async start(): Promise<TemporalProcess> {
    const cli = findTemporalCli();
    if (!cli) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or run npm run temporal:install');
    const server = new TemporalProcess(cli, await freePort(), await freePort());
    await server.restart();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.child = spawn(this.cli, [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(this.port), '--ui-port', String(this.uiPort),
      '--db-filename', this.dbFile, '--log-level', 'error', '--namespace', 'default',
      ...TUNED_DEV_SERVER_ARGS, ...SEARCH_ATTRIBUTE_ARGS,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(this.port, 60_000);
  }

  /** SIGKILL: no shutdown, whatever SQLite had not committed is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child) await killProcess(child);
  }
}
