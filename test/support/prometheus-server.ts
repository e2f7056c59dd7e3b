// A real Prometheus for tests (Debian's package): scrapes the given targets every second from its
// own temporary folder and port, answers PromQL over its HTTP API, and is stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { PROMETHEUS_PATH } from './prerequisites';
import { killProcess } from './worker-process';

export type PrometheusServer = {
  url: string;
  query(expression: string): Promise<{ status: string; error?: string; data?: { resultType: string; result: unknown[] } }>;
  /** Resolves once every target has been scraped successfully. */
  waitForTargets(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrometheus(jobs: Record<string, string[]>, options: { ruleFiles?: string[] } = {}): Promise<PrometheusServer> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'keel-prometheus-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: Object.entries(jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] })),
  };
  writeFileSync(path.join(folder, 'prometheus.yml'), toYaml(config));
  const child: ChildProcess = spawn(PROMETHEUS_PATH, [
    `--config.file=${path.join(folder, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(folder, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = {
    url,
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expression })}`);
      return (await response.json()) as Awaited<ReturnType<PrometheusServer['query']>>;
    },
    async waitForTargets(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await fetch(`${url}/api/v1/targets`).then((response) => response.json() as Promise<any>).catch(() => undefined);
        const targets: Array<{ health: string }> = answer?.data?.activeTargets ?? [];
        if (targets.length > 0 && targets.every((target) => target.health === 'up')) return;
        if (Date.now() > deadline) throw new Error(`Prometheus targets not all up after ${timeoutMs} ms: ${JSON.stringify(targets)}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async stop() {
      await killProcess(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then((response) => response.ok).catch(() => false);
    if (ready) return server;
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`Prometheus did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
