// What this machine gives the suite (bubblewrap, PostgreSQL, Redis, Chromium, Prometheus, a compose binary), probed once by the
// global setup and handed to every test file through the environment. A missing one is never
// silent: it is named at the start and the end of `npm test`, with what it costs and the fix, and
// under KEEL_REQUIRE_ALL=1 (CI) it fails the run.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { Client as PgClient } from 'pg';
import { probeBubblewrap } from '../../tools/sandbox';

export const PREREQUISITE_NAMES = ['bubblewrap', 'postgres', 'redis', 'chromium', 'prometheus', 'compose'] as const;
export type PrerequisiteName = (typeof PREREQUISITE_NAMES)[number];

export type Prerequisite = {
  name: PrerequisiteName;
  available: boolean;
  /** Where it was found, or why it was not. */
  detail: string;
  /** What the suite does without it: the line printed at the start and the end. */
  withoutIt: string;
};

const ENVIRONMENT_KEY = 'KEEL_TEST_PREREQUISITES';
const PROBE_TIMEOUT_MILLISECONDS = 2000;

export const TEST_ADMIN_DATABASE_URL = process.env.KEEL_TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.KEEL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CHROMIUM_PATH = process.env.KEEL_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Debian's `prometheus` package ships both: the server (dashboard queries) and promtool (rule tests). */
export const PROMETHEUS_PATH = process.env.KEEL_PROMETHEUS_PATH ?? '/usr/bin/prometheus';
export const PROMTOOL_PATH = process.env.KEEL_PROMTOOL_PATH ?? path.join(path.dirname(PROMETHEUS_PATH), 'promtool');

async function probePostgres(): Promise<string | undefined> {
  const client = new PgClient({ connectionString: TEST_ADMIN_DATABASE_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MILLISECONDS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PING over a raw socket: no client library retries to wait out. */
function probeRedis(): Promise<string | undefined> {
  const url = new URL(TEST_REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (failure: string | undefined) => {
      socket.destroy();
      resolve(failure);
    };
    socket.setTimeout(PROBE_TIMEOUT_MILLISECONDS, () => done('no answer within 2 s'));
    socket.once('error', (error) => done(error.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG') ? undefined : `unexpected answer ${JSON.stringify(data.toString().trim())}`));
  });
}

function probePrometheus(): Prerequisite {
  const missing = [PROMETHEUS_PATH, PROMTOOL_PATH].filter((file) => !existsSync(file));
  return {
    name: 'prometheus',
    available: missing.length === 0,
    detail: missing.length === 0 ? `${PROMETHEUS_PATH}, ${PROMTOOL_PATH}` : `not found: ${missing.join(', ')}`,
    withoutIt: 'dashboard queries against a real Prometheus and the promtool alert-rule tests skipped (install it: apt-get install --no-install-recommends prometheus, or set KEEL_PROMETHEUS_PATH)',
  };
}

/** `docker compose` (the plugin) first, then the standalone `docker-compose` (Debian's 1.29 works too). */
export const COMPOSE_COMMANDS: ReadonlyArray<readonly [string, ...string[]]> = [['docker', 'compose'], ['docker-compose']];

/** The first compose command that answers `version`, or why none did. */
export async function findComposeCommand(): Promise<{ command: readonly [string, ...string[]]; version: string } | { failure: string }> {
  const failures: string[] = [];
  for (const command of COMPOSE_COMMANDS) {
    const [file, ...prefix] = command;
    const answer = await new Promise<{ version?: string; failure?: string }>((resolve) => {
      execFile(file, [...prefix, 'version'], { timeout: 10_000 }, (error, stdout) => resolve(error ? { failure: `${command.join(' ')}: ${error.message.split('\n')[0]}` } : { version: stdout.split('\n')[0]!.trim() }));
    });
    if (answer.version !== undefined) return { command, version: answer.version };
    failures.push(answer.failure!);
  }
  return { failure: failures.join('; ') };
}

async function probeCompose(): Promise<Prerequisite> {
  const found = await findComposeCommand();
  return {
    name: 'compose',
    available: 'command' in found,
    detail: 'command' in found ? `${found.command.join(' ')} (${found.version})` : found.failure,
    withoutIt: '`docker compose config` on docker-compose.temporal.yml skipped; its wiring is still checked (install one: apt-get install --no-install-recommends docker-compose, or the Docker Compose plugin)',
  };
}

/** Probes everything once (global setup). */
export async function probePrerequisites(): Promise<Prerequisite[]> {
  const [bubblewrap, postgres, redis, compose] = await Promise.all([probeBubblewrap({ refresh: true }), probePostgres(), probeRedis(), probeCompose()]);
  return [
    {
      name: 'bubblewrap',
      available: bubblewrap.path !== undefined,
      detail: bubblewrap.path ?? bubblewrap.failure,
      withoutIt: 'sandbox tests skipped (install bubblewrap: apt-get install bubblewrap); every other test runs bash unsandboxed in its own temporary workspace',
    },
    {
      name: 'postgres',
      available: postgres === undefined,
      detail: postgres === undefined ? TEST_ADMIN_DATABASE_URL : `${TEST_ADMIN_DATABASE_URL}: ${postgres}`,
      withoutIt: 'no PostgreSQL: the PostgreSQL tests run on embedded PGlite served over the wire protocol and the loop benchmark smoke test is skipped (start PostgreSQL at 127.0.0.1:5432 or set KEEL_TEST_ADMIN_DATABASE_URL to test on the real thing)',
    },
    {
      name: 'redis',
      available: redis === undefined,
      detail: redis === undefined ? TEST_REDIS_URL : `${TEST_REDIS_URL}: ${redis}`,
      withoutIt: 'Redis tests skipped: the circuit-breaker contract runs on the in-process twin only and circuits shared by two workers are not tested (start Redis at 127.0.0.1:6379 or set KEEL_TEST_REDIS_URL)',
    },
    {
      name: 'chromium',
      available: existsSync(CHROMIUM_PATH),
      detail: existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : `no Chromium at ${CHROMIUM_PATH}`,
      withoutIt: 'console browser tests skipped (install Chromium: apt-get install chromium, or set KEEL_CHROMIUM_PATH)',
    },
    probePrometheus(),
    compose,
  ];
}

/** The lines `npm test` prints at its start and end: one per missing prerequisite. */
export function describeMissing(prerequisites: readonly Prerequisite[]): string[] {
  return prerequisites.filter((entry) => !entry.available).map((entry) => `[keel test] ${entry.withoutIt} — ${entry.detail}`);
}

export function publishPrerequisites(prerequisites: readonly Prerequisite[]): void {
  process.env[ENVIRONMENT_KEY] = JSON.stringify(prerequisites);
}

/** The global setup's findings, read in a test file. Outside jest's global setup everything counts as present. */
export function readPrerequisites(): Prerequisite[] {
  const published = process.env[ENVIRONMENT_KEY];
  return published ? (JSON.parse(published) as Prerequisite[]) : [];
}

export function hasPrerequisite(name: PrerequisiteName): boolean {
  return readPrerequisites().find((entry) => entry.name === name)?.available ?? true;
}

/** `describe` when the prerequisite is here, `describe.skip` otherwise (named in the summary). */
export function describeWith(name: PrerequisiteName): jest.Describe {
  return hasPrerequisite(name) ? describe : describe.skip;
}
