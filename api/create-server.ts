// The Fastify app: zod validation, OpenAPI at /docs, JSON errors, API-key auth on /v1, routes.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ulid } from 'ulid';
import { z } from 'zod';
import type { KeelConfig } from '../core/config';
import type { ModelCatalog } from '../core/model-catalog';
import type { ModelPool } from '../core/model-pool';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { Database } from '../stores/database';
import type { EventBus } from '../stores/event-bus';
import type { SemanticMemory } from '../stores/notes';
import { EventsRepository } from '../stores/events-repository';
import { RunsRepository } from '../stores/runs-repository';
import { TenantsRepository } from '../stores/tenants-repository';
import { TranscriptRepository } from '../stores/transcript-repository';
import { UsageRepository } from '../stores/usage-repository';
import type { Logger } from '../runtime/logger';
import { ApiKeyAuthenticator } from './auth';
import { errorBody, handleClientError, handleError } from './http-error';
import { eventRoutes } from './routes/events';
import { messageRoutes } from './routes/messages';
import { modelRoutes } from './routes/models';
import { noteRoutes } from './routes/notes';
import { runRoutes } from './routes/runs';
import { policyRoutes } from './routes/policy';
import { reviewPageRoutes } from './routes/review-page';
import { reviewRoutes } from './routes/reviews';
import { usageRoutes } from './routes/usage';
import { ReviewService } from './review-service';
import { ReviewsRepository } from '../stores/reviews-repository';
import { RunService } from './run-service';
import { rejectUnstorableText } from './storable-text';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export type ApiDependencies = {
  db: Database;
  bus: EventBus;
  client: Client;
  catalog: ModelCatalog;
  config: Pick<KeelConfig, 'taskQueue' | 'defaultModel'>;
  toolNames: readonly string[];
  logger: Logger;
  temporalUiUrl?: string;
  /** Shared circuit state, shown on GET /v1/models. */
  circuits: CircuitBreakerStore;
  pool?: ModelPool;
  /** Semantic memory behind /v1/notes. */
  memory: SemanticMemory;
};

export async function createApiServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Errors before routing (a malformed URL, an over-long id) and broken HTTP answer as JSON too.
    frameworkErrors: handleError,
    clientErrorHandler: handleClientError,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : `req_${ulid()}`;
    },
  }).withTypeProvider<ZodTypeProvider>();
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

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Keel API', description: 'Durable LLM agent runs on Temporal', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with a registry id (RunEvent, DeltaData) become components the routes refer to.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const tenants = new TenantsRepository(deps.db);
  const authenticator = new ApiKeyAuthenticator(tenants);
  const runs = new RunsRepository(deps.db);
  const events = new EventsRepository(deps.db);
  const service = new RunService({ client: deps.client, runs, catalog: deps.catalog, config: deps.config, toolNames: deps.toolNames, pool: deps.pool, tenants });
  const reviews = new ReviewService({ client: deps.client, reviews: new ReviewsRepository(deps.db), events, bus: deps.bus });

  await app.register(reviewPageRoutes());
  app.get('/healthz', { schema: { summary: 'Liveness and dependencies', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  await app.register(async (v1) => {
    v1.addHook('onRequest', async (request) => {
      request.principal = await authenticator.authenticate(request);
      request.log = request.log.child({ tenantId: request.principal.tenantId, userId: request.principal.userId });
    });
    await v1.register(modelRoutes({ catalog: deps.catalog, pool: deps.pool, circuits: deps.circuits, defaultModel: deps.config.defaultModel }));
    await v1.register(usageRoutes(new UsageRepository(deps.db)));
    await v1.register(runRoutes(service, deps.temporalUiUrl));
    await v1.register(messageRoutes(service, new TranscriptRepository(deps.db)));
    await v1.register(eventRoutes(service, events, deps.bus));
    await v1.register(reviewRoutes(reviews));
    await v1.register(policyRoutes(tenants));
    await v1.register(noteRoutes(deps.memory));
  });
  return app;
}
