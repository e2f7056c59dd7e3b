// The Fastify app: zod validation, OpenAPI at /docs, JSON errors, API-key auth on /v1, routes.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ulid } from 'ulid';
import type { KeelConfig } from '../core/config';
import { REVIEW_KINDS } from '../core/review';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelPool } from '../core/model-pool';
import type { TenantStepSlotStore } from '../stores/tenant-step-slots';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { Database } from '../stores/database';
import type { EventBus } from '../stores/event-bus';
import type { SemanticMemory } from '../stores/notes';
import { EventsRepository } from '../stores/events-repository';
import { RunsRepository } from '../stores/runs-repository';
import { TenantsRepository } from '../stores/tenants-repository';
import { TranscriptRepository } from '../stores/transcript-repository';
import { UsageRepository } from '../stores/usage-repository';
import { CacheLookupsRepository } from '../stores/cache-lookups-repository';
import { ScoresRepository } from '../stores/scores-repository';
import { ScoreService } from './score-service';
import { scoreRoutes } from './routes/scores';
import type { Logger } from '../runtime/logger';
import { ApiKeyAuthenticator } from './auth';
import { authorise, RoutePermissions } from './permissions';
import Redis from 'ioredis';
import { readRateLimitConfig, type RateLimitConfig } from '../core/rate-limit-config';
import { rateLimits } from './rate-limits';
import { ApiKeysRepository } from '../stores/api-keys-repository';
import { AuditRepository } from '../stores/audit-repository';
import { UsersRepository } from '../stores/users-repository';
import { QuotasRepository } from '../stores/quotas-repository';
import { QuotaGuard } from './quota-guard';
import { quotaRoutes } from './routes/quotas';
import { apiKeyRoutes } from './routes/api-keys';
import { auditRoutes } from './routes/audit';
import { tenantRoutes } from './routes/tenants';
import { userRoutes } from './routes/users';
import { KeyAdminService } from './key-admin-service';
import { TenantAdminService } from './tenant-admin-service';
import { TenantScope } from './tenant-scope';
import { UserAdminService } from './user-admin-service';
import { errorBody, handleClientError, handleError } from './http-error';
import { AgentsRepository } from '../stores/agents-repository';
import { AgentService } from './agent-service';
import { agentRoutes } from './routes/agents';
import { skillRoutes } from './routes/skills';
import { SkillService } from './skill-service';
import { SkillsRepository } from '../stores/skills-repository';
import { SkillFolders } from '../stores/skill-folders';
import { ReadinessProbes } from './health/readiness-probes';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { alertRoutes } from './routes/alerts';
import { AlertRelay } from './alerts/alert-relay';
import { AlertDeadLettersRepository } from '../stores/alert-dead-letters-repository';
import type { AlertsConfig } from '../core/operations-config';
import { countRequests, metricsRoutes } from './routes/metrics';
import { circuitStatesSource, KeelMetrics, MetricLabels, pendingReviewsSource } from '../runtime/metrics';
import { messageRoutes } from './routes/messages';
import { modelRoutes } from './routes/models';
import { noteRoutes } from './routes/notes';
import { runRoutes } from './routes/runs';
import { runForkRoutes } from './routes/run-forks';
import { RunForkService } from './run-fork-service';
import { StepSnapshotsRepository } from '../stores/step-snapshots-repository';
import { policyRoutes } from './routes/policy';
import { consolePageRoutes } from './routes/console-page';
import { reviewRoutes } from './routes/reviews';
import { codecRoutes } from './routes/codec';
import { toolOutputRoutes } from './routes/tool-outputs';
import { usageRoutes } from './routes/usage';
import { ToolResultsRepository } from '../stores/tool-results-repository';
import { ReviewService } from './review-service';
import { ReviewsRepository } from '../stores/reviews-repository';
import { RunService } from './run-service';
import { rejectUnstorableText } from './storable-text';
import type { PayloadCodec } from '@temporalio/common';
import { traceRequests } from './request-tracing';
import { deploymentRoutes } from './routes/deployments';
import { experimentRoutes } from './routes/experiments';
import { ExperimentService } from './experiment-service';
import { ExperimentReports } from './experiment-report';
import { ExperimentEnrollments } from './experiment-enrollment';
import { ExperimentsRepository } from '../stores/experiments-repository';
import { ExperimentRunsRepository } from '../stores/experiment-runs-repository';
import type { RunScoresSource } from '../core/experiments';
import { DeploymentService } from './deployment-service';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export type ApiDependencies = {
  db: Database;
  bus: EventBus;
  client: Client;
  catalog: ModelCatalog;
  config: Pick<KeelConfig, 'taskQueue' | 'defaultModel' | 'redisUrl' | 'skillsDir'>;
  toolNames: readonly string[];
  logger: Logger;
  temporalUiUrl?: string;
  /** Shared circuit state, shown on GET /v1/models. */
  circuits: CircuitBreakerStore;
  /** The workers' tenant step slots, read for the `concurrentSteps` quota's use in GET /v1/usage. */
  stepSlots?: TenantStepSlotStore;
  pool?: ModelPool;
  /** Semantic memory behind /v1/notes. */
  memory: SemanticMemory;
  /** The alert relay's routes, token and retries (POST /v1/alerts/webhook); off when absent. */
  alerts?: AlertsConfig;
  /** The process's Prometheus series (a fresh registry when absent). */
  metrics?: KeelMetrics;
  /** KEEL_METRICS_TOKEN: the bearer token /metrics asks for (open when absent). */
  metricsToken?: string;
  /** Requests per minute per key and per tenant (Redis-backed with config.redisUrl); Keel's defaults when absent. */
  rateLimits?: RateLimitConfig;
  /** The client shares a worker's connection in this process: new runs ask for eager start. */
  eagerStart?: boolean;
  /** Payload codecs behind /codec (the Web UI's remote codec); off when there are none. */
  codec?: { codecs: readonly PayloadCodec[]; uiToken?: string; corsOrigins: readonly string[] };
  /** Tracing is on in this process: each request gets a server span (request-tracing.ts). */
  tracing?: boolean;
  /** Each run's mean eval score for experiment reports (absent: the scores table, stores/scores-repository.ts). */
  runScores?: RunScoresSource;
};

export async function createApiServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Errors before routing (a malformed URL, an over-long id) and broken HTTP answer as JSON too.
    frameworkErrors: handleError,
    clientErrorHandler: handleClientError,
    // The key the worker's log lines use for the request that started a run (runtime/log-context.ts).
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : `req_${ulid()}`;
    },
  }).withTypeProvider<ZodTypeProvider>();
  // First, so every later hook and handler runs inside the request's span.
  if (deps.tracing) traceRequests(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('preValidation', rejectUnstorableText);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  const metrics = deps.metrics ?? new KeelMetrics('api');
  const labels = new MetricLabels(deps.catalog, deps.pool);
  metrics.startAtZero({ models: [], tools: [], reviewKinds: REVIEW_KINDS });
  metrics.watch({
    pendingReviews: pendingReviewsSource(deps.db),
    circuitStates: circuitStatesSource(deps.circuits, deps.pool?.ids() ?? deps.catalog.ids(), labels),
  });
  countRequests(app, metrics);
  const routePermissions = new RoutePermissions();
  routePermissions.watch(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Keel API', description: 'Durable LLM agent runs on Temporal', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with a registry id (RunEvent, DeltaData) become components the routes refer to.
    transformObject: (input) => routePermissions.annotate(jsonSchemaTransformObject(input)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const tenants = new TenantsRepository(deps.db);
  const apiKeys = new ApiKeysRepository(deps.db);
  const authenticator = new ApiKeyAuthenticator(apiKeys);
  const audit = new AuditRepository(deps.db);
  const runs = new RunsRepository(deps.db);
  const events = new EventsRepository(deps.db);
  const agents = new AgentsRepository(deps.db);
  const skills = new SkillService({ skills: new SkillsRepository(deps.db), folders: new SkillFolders(deps.config.skillsDir) });
  const quotas = new QuotasRepository(deps.db);
  const quotaGuard = new QuotaGuard(quotas, undefined, deps.stepSlots);
  const experiments = new ExperimentsRepository(deps.db);
  const service = new RunService({
    client: deps.client, runs, catalog: deps.catalog, config: deps.config, toolNames: deps.toolNames, pool: deps.pool, tenants, agents, skills, eagerStart: deps.eagerStart,
    admit: (principal) => quotaGuard.admit(principal, 'run'), experiments: new ExperimentEnrollments(experiments),
  });
  const reviews = new ReviewService({
    client: deps.client, reviews: new ReviewsRepository(deps.db), events, bus: deps.bus, audit,
    onDecided: (review) => {
      metrics.reviewsDecided.inc({ kind: review.kind, action: review.status });
      if (review.decidedAt) metrics.reviewDecisionLatency.observe({ kind: review.kind }, Math.max(0, review.decidedAt.getTime() - review.createdAt.getTime()) / 1000);
    },
  });

  await app.register(consolePageRoutes());
  await app.register(metricsRoutes(metrics, deps.metricsToken));
  const relay = new AlertRelay({
    routes: deps.alerts?.routes ?? [], retryDelaysMs: deps.alerts?.retryDelaysMs ?? [],
    deadLetters: new AlertDeadLettersRepository(deps.db), logger: deps.logger, metrics,
  });
  // Beside /v1, not inside it: its bearer token is the relay's own, not a tenant's API key.
  await app.register(alertRoutes(relay, deps.alerts?.webhookToken));
  // Beside /v1: the Temporal Web UI calls it cross-origin, with a key or the UI token in its path.
  await app.register(codecRoutes({ codecs: deps.codec?.codecs ?? [], uiToken: deps.codec?.uiToken, corsOrigins: deps.codec?.corsOrigins ?? [], authenticator }));
  await app.register(healthRoutes(new ReadinessProbes({ db: deps.db, client: deps.client, namespace: deps.client.options.namespace, taskQueue: deps.config.taskQueue, redisUrl: deps.config.redisUrl })));

  // Its own connection: the rate-limit store's commands must not queue behind the bus's subscriber.
  const rateLimitRedis = deps.config.redisUrl ? new Redis(deps.config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }) : undefined;
  rateLimitRedis?.on('error', () => undefined);
  app.addHook('onClose', async () => {
    rateLimitRedis?.disconnect();
  });
  await app.register(async (v1) => {
    const limitRate = await rateLimits(v1, deps.rateLimits ?? readRateLimitConfig({}), rateLimitRedis);
    v1.addHook('onRequest', async (request, reply) => {
      request.principal = await authenticator.authenticate(request);
      request.log = request.log.child({ tenantId: request.principal.tenantId, userId: request.principal.userId });
      // Counted before the permission check: a key hammering routes it may not call is limited too.
      await limitRate(request, reply);
      authorise(request);
    });
    await v1.register(modelRoutes({ catalog: deps.catalog, pool: deps.pool, circuits: deps.circuits, defaultModel: deps.config.defaultModel }));
    await v1.register(usageRoutes(new UsageRepository(deps.db), quotaGuard, new CacheLookupsRepository(deps.db)));
    await v1.register(runRoutes(service, deps.temporalUiUrl));
    await v1.register(runForkRoutes(new RunForkService({
      runService: service, runs, transcripts: new TranscriptRepository(deps.db), stepSnapshots: new StepSnapshotsRepository(deps.db),
      catalog: deps.catalog, skills, admit: (principal) => quotaGuard.admit(principal, 'run'),
    }), deps.temporalUiUrl));
    await v1.register(agentRoutes(new AgentService({ agents, runs: service })));
    await v1.register(scoreRoutes(new ScoreService({ client: deps.client, config: deps.config, runs: service, agents, scores: new ScoresRepository(deps.db) })));
    await v1.register(experimentRoutes(
      new ExperimentService({ experiments, agents, runs: service }),
      new ExperimentReports({ runs: new ExperimentRunsRepository(deps.db), scores: deps.runScores ?? new ScoresRepository(deps.db) }),
    ));
    await v1.register(skillRoutes(skills));
    await v1.register(messageRoutes(service, new TranscriptRepository(deps.db)));
    await v1.register(toolOutputRoutes(service, new ToolResultsRepository(deps.db)));
    await v1.register(eventRoutes(service, events, deps.bus, metrics.sseClients));
    await v1.register(reviewRoutes(reviews));
    await v1.register(policyRoutes(tenants, audit));
    await v1.register(noteRoutes(deps.memory, (principal) => quotaGuard.admit(principal, 'note')));
    const scope = new TenantScope(tenants);
    const onAccessChanged = () => authenticator.forgetAll();
    const users = new UserAdminService({ users: new UsersRepository(deps.db), audit, onAccessChanged });
    await v1.register(tenantRoutes(new TenantAdminService({ tenants, audit, onAccessChanged })));
    await v1.register(userRoutes(users, scope));
    await v1.register(apiKeyRoutes(new KeyAdminService({ keys: apiKeys, users, audit, onAccessChanged }), scope));
    await v1.register(auditRoutes(audit, scope));
    await v1.register(quotaRoutes({ quotas, users, audit, scope }));
    await v1.register(deploymentRoutes(new DeploymentService({ workflowService: deps.client.workflowService, namespace: deps.client.options.namespace, audit })));
  });
  return app;
}
