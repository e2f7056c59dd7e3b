// Opens what both processes need from configuration: the database (migrated in embedded mode),
// the event bus, the model catalog, the model pool, the circuit-breaker store, the response cache
// and the tenant step slots (each in Redis when REDIS_URL is set, in process otherwise), and
// semantic memory (embedder and notes store), each created once per process and shared.
import { ModelCatalog } from '../core/model-catalog';
import type { KeelConfig } from '../core/config';
import { ModelPool } from '../core/model-pool';
import { createCircuitBreakerStore, type CircuitBreakerStore } from '../stores/circuit-breaker';
import { createTenantStepSlotStore, type TenantStepSlotStore } from '../stores/tenant-step-slots';
import { openDatabase, type DatabaseHandle } from '../stores/database';
import { createEventBus, type EventBus } from '../stores/event-bus';
import { applyMigrations } from '../stores/migrate';
import { createNotesStore, SemanticMemory } from '../stores/notes';
import { createEmbedder, describeEmbedder } from '../providers/embeddings';
import { createResponseCacheStore, type ResponseCacheStore } from '../stores/response-cache';
import { createLogger, type Logger } from './logger';

export type Services = {
  database: DatabaseHandle;
  bus: EventBus;
  catalog: ModelCatalog;
  /** The model pool, when KEEL_MODEL_POOL_FILE configures one. */
  pool?: ModelPool;
  circuits: CircuitBreakerStore;
  /** Cached model replies (Redis when REDIS_URL is set, a bounded in-process LRU otherwise); used by runs whose policy turns the cache on. */
  responseCache: ResponseCacheStore;
  /** Tenant step slots (the `concurrentSteps` quota's leases): Redis when REDIS_URL is set, in process otherwise. */
  stepSlots: TenantStepSlotStore;
  /** Notes: the write and read paths over the configured embedder and store. */
  memory: SemanticMemory;
  close(): Promise<void>;
};

export type OpenServicesOptions = {
  migrate?: boolean;
  bus?: EventBus;
  /** Prefix of the circuit keys in Redis (tests keep apart with their own). */
  circuitKeyPrefix?: string;
  /** Where the start-up lines about memory go (which embedder, which store, pgvector missing). */
  logger?: Logger;
  /**
   * The worker runs in this process (npm run dev, tests): without Redis its events still reach the
   * API's SSE streams live. Otherwise an in-process bus hears nothing and streams poll storage.
   */
  workerInProcess?: boolean;
};

export async function openServices(config: KeelConfig, options: OpenServicesOptions = {}): Promise<Services> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  // PGlite is Keel's own embedded store, so it is migrated on open; PostgreSQL by `npm run db:migrate`.
  if (options.migrate ?? database.kind === 'pglite') await applyMigrations(database);
  const bus = options.bus ?? createEventBus(config.redisUrl, { carriesWorkerEvents: options.workerInProcess ?? false });
  const circuits = createCircuitBreakerStore(config.redisUrl, {
    failureThreshold: config.pool?.circuit.failureThreshold,
    cooldownSeconds: config.pool?.circuit.cooldownSeconds,
    keyPrefix: options.circuitKeyPrefix,
  });
  const responseCache = createResponseCacheStore(config.redisUrl);
  const stepSlots = createTenantStepSlotStore(config.redisUrl);
  const log = options.logger ?? createLogger(config.logLevel, { process: 'services' });
  const embedder = createEmbedder(config.memory.embeddings);
  if (embedder.semantic) log.info(describeEmbedder(embedder));
  else log.warn(describeEmbedder(embedder));
  const notesStore = await createNotesStore(database.db, {
    store: config.memory.store,
    dimensions: embedder.dimensions,
    pinecone: config.memory.pinecone,
    databaseKind: database.kind,
  }, { info: (message) => log.info(message), warn: (message) => log.warn(message) });
  return {
    database,
    bus,
    memory: new SemanticMemory(notesStore, embedder, config.memory.settings),
    catalog: new ModelCatalog(config.models),
    pool: config.pool ? new ModelPool(config.pool) : undefined,
    circuits,
    responseCache,
    stepSlots,
    async close() {
      if (!options.bus) await bus.close();
      await circuits.close();
      await responseCache.close();
      await stepSlots.close();
      await database.close();
    },
  };
}
