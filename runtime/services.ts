// Opens what both processes need from configuration: the database (migrated in embedded mode),
// the event bus and the model catalog.
import { ModelCatalog } from '../core/model-catalog';
import type { KeelConfig } from '../core/config';
import { openDatabase, type DatabaseHandle } from '../stores/database';
import { createEventBus, type EventBus } from '../stores/event-bus';
import { applyMigrations } from '../stores/migrate';

export type Services = {
  database: DatabaseHandle;
  bus: EventBus;
  catalog: ModelCatalog;
  close(): Promise<void>;
};

export async function openServices(config: KeelConfig, options: { migrate?: boolean; bus?: EventBus } = {}): Promise<Services> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  // PGlite is Keel's own embedded store, so it is migrated on open; PostgreSQL by `npm run db:migrate`.
  if (options.migrate ?? database.kind === 'pglite') await applyMigrations(database);
  const bus = options.bus ?? createEventBus(config.redisUrl);
  return {
    database,
    bus,
    catalog: new ModelCatalog(config.models),
    async close() {
      if (!options.bus) await bus.close();
      await database.close();
    },
  };
}
