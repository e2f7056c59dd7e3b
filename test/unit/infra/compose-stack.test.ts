// docker-compose.temporal.yml is wired right: every service has a pinned image or the Dockerfile, each
// Keel process reads a complete configuration through Keel's own config code (the default model is
// the stack's model server), ports do not collide, depends_on waits on real health checks, and
// Prometheus, Grafana and Temporal find what they are pointed at. `docker compose config` must pass
// where a compose binary exists; nothing is started (no Docker engine here).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadConfig, type KeelConfig } from '../../../core/config';
import { KEEL_SEARCH_ATTRIBUTES } from '../../../core/search-attributes';
import { requireApiKey } from '../../../scripts/ensure-api-key';
import { describeWith, findComposeCommand } from '../../support/prerequisites';
import { keelEnvironmentSchema } from '../../../core/environment-schema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.temporal.yml');
const KEEL_IMAGE = 'keel:local';

const stringList = z.union([z.string(), z.array(z.string())]).transform((value) => (typeof value === 'string' ? value.split(/\s+/) : value));
const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.union([z.string(), z.object({ context: z.string(), dockerfile: z.string().optional() })]).optional(),
  command: stringList.optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']) })).optional(),
  healthcheck: z.object({ test: z.union([z.string(), z.array(z.string())]) }).passthrough().optional(),
  restart: z.string().optional(),
}).passthrough();
type Service = z.infer<typeof serviceSchema>;
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema), volumes: z.record(z.string(), z.unknown().nullable()).optional() }).passthrough();

const compose = composeSchema.parse(parseYaml(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }));
const services = compose.services;

/** `${NAME:-default}` and `${NAME}` as compose reads them with nothing set in the shell; `$$` is a `$`. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Z_][A-Z0-9_]*)(?::?-([^}]*))?\}/g, (whole, _name: string | undefined, fallback: string | undefined) => (whole === '$$' ? '$' : fallback ?? ''));
}

function environmentOf(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(value === null ? '' : String(value))]));
}

const keelServices = Object.entries(services).filter(([, service]) => service.image === KEEL_IMAGE);

/** The npm script a Keel service runs (`npm run [--silent] <script>`, or inside `sh -c`). */
function npmScripts(service: Service): string[] {
  const text = (service.command ?? []).join(' ');
  return [...text.matchAll(/npm run (?:--silent )?([a-z:-]+)/g)].map((match) => match[1]!);
}

function keelService(script: string): [string, Service] {
  const found = keelServices.find(([, service]) => npmScripts(service).includes(script));
  if (!found) throw new Error(`no Keel service runs npm run ${script}`);
  return found;
}

function keelConfig(service: Service): KeelConfig {
  return loadConfig(environmentOf(service), {}, (file) => {
    throw new Error(`the stack names a file the test cannot read: ${file}`);
  });
}

type Published = { hostIp: string; hostPort: number; containerPort: number };
function published(service: Service): Published[] {
  return (service.ports ?? []).map((entry) => {
    const match = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)(?:\/tcp)?$/.exec(entry);
    if (!match) throw new Error(`port "${entry}" is not ip:host:container`);
    return { hostIp: match[1] ?? '0.0.0.0', hostPort: Number(match[2]), containerPort: Number(match[3]) };
  });
}

/** A bind mount's host path (resolved from the repository root) for a path inside the container. */
function hostPathOf(service: Service, containerPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (!source!.startsWith('.') || target === undefined) continue;
    if (containerPath === target) return path.resolve(ROOT, source!);
    if (containerPath.startsWith(`${target}/`)) return path.resolve(ROOT, source!, path.relative(target, containerPath));
  }
  return undefined;
}

/** The ports a service listens on inside the network. */
function listeningPorts(name: string): number[] {
  const service = services[name]!;
  const ports = published(service).map((entry) => entry.containerPort);
  if (service.image !== KEEL_IMAGE) return ports;
  const scripts = npmScripts(service);
  if (scripts.includes('start:api')) ports.push(keelConfig(service).apiPort);
  if (scripts.includes('start:worker')) ports.push(keelConfig(service).operations.metrics.port!);
  const portFlag = (service.command ?? []).indexOf('--port');
  if (scripts.includes('model-server') && portFlag >= 0) ports.push(Number(service.command![portFlag + 1]));
  return ports;
}

/** Every environment variable Keel's own code reads, by name, from the folders its processes load. */
function variablesKeelReads(): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\b(?:environment|env|process\.env)\.([A-Z][A-Z0-9_]+)|'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)) names.add(match[1] ?? match[2]!);
      }
    }
  };
  for (const folder of ['core', 'runtime', 'api', 'worker', 'model-server', 'scripts', 'stores', 'activities', 'providers', 'tools']) walk(path.join(ROOT, folder));
  // Variables with a shape are read through one schema, by key.
  for (const name of Object.keys(keelEnvironmentSchema.shape)) names.add(name);
  return names;
}

describe('the compose stack (docker-compose.temporal.yml)', () => {
  it('runs the pieces the design names, every one from a pinned image or the Dockerfile', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana', 'jaeger', 'keel-api', 'keel-worker', 'migrate', 'model-server', 'postgres', 'prometheus', 'redis', 'temporal', 'temporal-setup', 'temporal-ui',
    ]);
    for (const [name, service] of Object.entries(services)) {
      if (service.image === KEEL_IMAGE) {
        expect({ name, build: service.build }).toEqual({ name, build: { context: '.', dockerfile: 'Dockerfile' } });
        continue;
      }
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/) });
      expect({ name, image: service.image }).not.toEqual({ name, image: expect.stringMatching(/:latest$/) });
    }
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(services.postgres!.image).toBe('pgvector/pgvector:pg16');
    expect(services.jaeger!.image).toMatch(/^jaegertracing\/all-in-one:/);
  });

  it('builds Keel on the Node 24 that package.json pins, with bubblewrap for the bash sandbox', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const pinnedNode = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.node;
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${pinnedNode!.replace(/\./g, '\\.')}-bookworm-slim$`, 'm'));
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bbubblewrap\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.keel', '.git']));
  });

  it('runs npm scripts that exist, one Keel service each for migrations, worker, API and the model server', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    for (const [name, service] of keelServices) {
      expect({ name, scripts: npmScripts(service) }).toEqual({ name, scripts: expect.arrayContaining([expect.any(String)]) });
      for (const script of npmScripts(service)) expect({ name, script, exists: scripts.includes(script) }).toEqual({ name, script, exists: true });
    }
    expect(['db:migrate', 'start:worker', 'start:api', 'model-server'].map((script) => keelService(script)[0])).toEqual(['migrate', 'keel-worker', 'keel-api', 'model-server']);
    // The demo's key: created by the migrate service (api-key:ensure), which refuses a weak one.
    expect(keelService('api-key:ensure')[0]).toBe('migrate');
    expect(requireApiKey(environmentOf(services.migrate!))).toMatch(/^keel_/);
    expect(() => requireApiKey({ KEEL_API_KEY: 'keel_short' })).toThrow(/KEEL_API_KEY.*at least 24 characters/);
  });

  it("gives each Keel process a configuration Keel's own config code accepts, pointing at the stack's services", () => {
    for (const script of ['db:migrate', 'start:worker', 'start:api']) {
      const [name, service] = keelService(script);
      const config = keelConfig(service);
      // api/main.ts and worker/main.ts refuse to start without DATABASE_URL (PGlite is dev-only).
      const database = new URL(config.databaseUrl ?? 'missing://');
      expect({ name, database: database.hostname, port: database.port }).toEqual({ name, database: 'postgres', port: '5432' });
      expect(services.postgres!.environment).toMatchObject({ POSTGRES_USER: decodeURIComponent(database.username), POSTGRES_PASSWORD: decodeURIComponent(database.password), POSTGRES_DB: database.pathname.slice(1) });
      if (script === 'db:migrate') continue;
      const [temporalHost, temporalPort] = config.temporalAddress.split(':');
      expect({ name, temporalHost }).toEqual({ name, temporalHost: 'temporal' });
      expect(listeningPorts('temporal')).toContain(Number(temporalPort));
      const redis = new URL(config.redisUrl ?? 'missing://');
      expect({ name, redis: redis.hostname }).toEqual({ name, redis: 'redis' });
      expect({ name, workflowBundle: config.workflowBundlePath }).toEqual({ name, workflowBundle: '/app/dist/workflow-bundle.js' });
      const tracing = new URL(environmentOf(service).OTEL_EXPORTER_OTLP_ENDPOINT ?? 'missing://');
      expect({ name, tracing: tracing.hostname }).toEqual({ name, tracing: 'jaeger' });
      expect(listeningPorts('jaeger')).toContain(Number(tracing.port));
    }
    const api = keelConfig(keelService('start:api')[1]);
    expect(api.apiHost).toBe('0.0.0.0');
    const worker = keelConfig(keelService('start:worker')[1]).operations.metrics;
    expect(worker).toMatchObject({ host: '0.0.0.0', port: expect.any(Number) });
  });

  it("makes the model server the default model's base URL, so the demo runs with no provider key", () => {
    for (const script of ['start:worker', 'start:api']) {
      const config = keelConfig(keelService(script)[1]);
      expect(config.usingDemoModel).toBe(true);
      const spec = config.models.find((model) => model.id === config.defaultModel);
      const baseUrl = new URL(spec?.baseURL ?? 'missing://');
      expect({ script, host: baseUrl.hostname }).toEqual({ script, host: 'model-server' });
      expect(listeningPorts('model-server')).toContain(Number(baseUrl.port));
      expect(spec?.apiKeyEnv).toBeUndefined();
    }
  });

  it('sets only environment variables Keel reads (a misspelt one would be silently ignored)', () => {
    const known = variablesKeelReads();
    // Read by libraries, not by Keel's code: the OpenTelemetry SDK and Node itself.
    const readElsewhere = (name: string) => name.startsWith('OTEL_') || name === 'NODE_ENV';
    for (const [name, service] of keelServices) {
      const unknown = Object.keys(environmentOf(service)).filter((variable) => !known.has(variable) && !readElsewhere(variable));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });

  it('publishes each host port once, on the loopback address', () => {
    const taken = Object.entries(services).flatMap(([name, service]) => published(service).map((entry) => ({ name, ...entry })));
    const keys = taken.map((entry) => `${entry.hostIp}:${entry.hostPort}`);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    expect(taken.filter((entry) => entry.hostIp !== '127.0.0.1')).toEqual([]);
    // What the README's compose section promises, host port by service.
    expect(Object.fromEntries(taken.map((entry) => [entry.hostPort, entry.name]))).toMatchObject({
      3000: 'keel-api', 8233: 'temporal-ui', 7233: 'temporal', 4010: 'model-server', 9090: 'prometheus', 3001: 'grafana', 16686: 'jaeger',
    });
  });

  it('waits only on services that exist and can report what it waits for', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        const dependency = services[target];
        expect({ name, target, exists: dependency !== undefined }).toEqual({ name, target, exists: true });
        if (condition === 'service_healthy') expect({ name, target, healthcheck: dependency!.healthcheck !== undefined }).toEqual({ name, target, healthcheck: true });
        // A one-shot that restarted would never count as completed.
        if (condition === 'service_completed_successfully') expect({ name, target, restart: dependency!.restart }).toEqual({ name, target, restart: 'no' });
      }
    }
    // The Keel processes start only after the schema and the search attributes are in place.
    for (const name of ['keel-worker', 'keel-api']) {
      expect(services[name]!.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-setup': { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[name]!.healthcheck).toBeDefined();
    }
  });

  it('health-checks each Keel process on the port it listens on', () => {
    for (const name of ['keel-api', 'keel-worker', 'model-server']) {
      const test = services[name]!.healthcheck!.test;
      const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(Array.isArray(test) ? test.join(' ') : test);
      expect({ name, port: url ? listeningPorts(name).includes(Number(url[1])) : 'no URL' }).toEqual({ name, port: true });
    }
  });

  it('mounts only files and folders that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect({ name, source, exists: existsSync(path.resolve(ROOT, source)) }).toEqual({ name, source, exists: true });
        else expect({ name, volume: source, declared: compose.volumes !== undefined && source in compose.volumes }).toEqual({ name, volume: source, declared: true });
      }
    }
  });

  it("scrapes real services on the ports they listen on, and loads Keel's alert rules", () => {
    const prometheus = services.prometheus!;
    const configFile = hostPathOf(prometheus, '/etc/prometheus/prometheus.yml');
    expect(configFile).toBe(path.join(ROOT, 'infra', 'prometheus', 'prometheus.yml'));
    const config = z.object({
      rule_files: z.array(z.string()),
      scrape_configs: z.array(z.object({ job_name: z.string(), static_configs: z.array(z.object({ targets: z.array(z.string()) })) })),
    }).parse(parseYaml(readFileSync(configFile!, 'utf8')));
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets.map((target) => ({ job: job.job_name, target }))));
    expect(targets.map((entry) => entry.job).sort()).toEqual(['keel-api', 'keel-worker']);
    for (const { job, target } of targets) {
      const [host, port] = target.split(':');
      expect({ job, host, known: services[host!] !== undefined }).toEqual({ job, host, known: true });
      expect({ job, target, listening: listeningPorts(host!).includes(Number(port)) }).toEqual({ job, target, listening: true });
    }
    for (const pattern of config.rule_files) {
      const folder = hostPathOf(prometheus, path.posix.join('/etc/prometheus', path.posix.dirname(pattern)));
      expect(folder).toBe(path.join(ROOT, 'infra', 'prometheus', 'rules'));
      expect(readdirSync(folder!).filter((file) => file.endsWith('.yml')).length).toBeGreaterThan(0);
    }
  });

  it('provisions Grafana with the Prometheus of the stack and the dashboards where the provider looks', () => {
    const grafana = services.grafana!;
    const datasources = hostPathOf(grafana, '/etc/grafana/provisioning/datasources');
    const datasource = z.object({ datasources: z.array(z.object({ uid: z.string(), url: z.string() })) })
      .parse(parseYaml(readFileSync(path.join(datasources!, readdirSync(datasources!).find((file) => file.endsWith('.yml') || file.endsWith('.yaml'))!), 'utf8')));
    const url = new URL(datasource.datasources[0]!.url);
    expect(url.hostname).toBe('prometheus');
    expect(listeningPorts('prometheus')).toContain(Number(url.port));
    const providers = hostPathOf(grafana, '/etc/grafana/provisioning/dashboards');
    const provider = z.object({ providers: z.array(z.object({ options: z.object({ path: z.string() }) })) })
      .parse(parseYaml(readFileSync(path.join(providers!, readdirSync(providers!).find((file) => file.endsWith('.yml') || file.endsWith('.yaml'))!), 'utf8')));
    const dashboards = hostPathOf(grafana, provider.providers[0]!.options.path);
    expect(dashboards).toBe(path.join(ROOT, 'infra', 'grafana', 'dashboards'));
    expect(readdirSync(dashboards!).filter((file) => file.endsWith('.json')).length).toBeGreaterThanOrEqual(4);
  });

  it("starts Temporal on the stack's PostgreSQL with the dynamic config file, and registers Keel's search attributes", () => {
    const temporal = services.temporal!;
    const environment = environmentOf(temporal);
    expect(environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', POSTGRES_USER: services.postgres!.environment!.POSTGRES_USER, POSTGRES_PWD: services.postgres!.environment!.POSTGRES_PASSWORD });
    const dynamicConfig = hostPathOf(temporal, path.posix.join('/etc/temporal', environment.DYNAMIC_CONFIG_FILE_PATH!));
    expect(dynamicConfig).toBe(path.join(ROOT, 'infra', 'temporal', 'dynamic-config.yaml'));
    const settings = z.record(z.string(), z.array(z.object({ value: z.unknown(), constraints: z.record(z.string(), z.unknown()).optional() }))).parse(parseYaml(readFileSync(dynamicConfig!, 'utf8')));
    expect(settings['system.enableActivityEagerExecution']?.[0]?.value).toBe(true);
    expect(settings['frontend.enableUpdateWorkflowExecution']?.[0]?.value).toBe(true);
    const setup = interpolate((services['temporal-setup']!.command ?? []).join(' '));
    expect(setup).toContain('--name "$attribute" --type Keyword');
    expect(setup).toContain(`for attribute in ${KEEL_SEARCH_ATTRIBUTES.map((attribute) => attribute.name).join(' ')};`);
  });
});

describeWith('compose')('docker compose on the stack', () => {
  it('accepts the file (`config -q`)', async () => {
    const found = await findComposeCommand();
    if (!('command' in found)) throw new Error(`the global setup found a compose binary, this test did not: ${found.failure}`);
    const [file, ...prefix] = found.command;
    await promisify(execFile)(file, [...prefix, '-f', COMPOSE_FILE, 'config', '-q'], { cwd: ROOT, timeout: 60_000 }).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`${found.command.join(' ')} config rejected docker-compose.temporal.yml:\n${error.stderr ?? error.message}`);
    });
  });
});
