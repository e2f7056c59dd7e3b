// Starts the HTTP API from configuration: Temporal client, services, Fastify listening.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { KeelConfig } from '../core/config';
import type { Logger } from '../runtime/logger';
import type { Services } from '../runtime/services';
import { TOOL_NAMES } from '../core/tool-names';
import { createApiServer } from './create-server';

export type RunningApi = { app: FastifyInstance; url: string; client: Client; stop(): Promise<void> };

export async function startApi(config: KeelConfig, services: Services, logger: Logger, options: { temporalUiUrl?: string } = {}): Promise<RunningApi> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection, namespace: config.namespace });
  const app = await createApiServer({
    db: services.database.db,
    bus: services.bus,
    client,
    catalog: services.catalog,
    config,
    toolNames: Object.values(TOOL_NAMES),
    logger,
    temporalUiUrl: options.temporalUiUrl,
    circuits: services.circuits,
    pool: services.pool,
    memory: services.memory,
    alerts: config.operations.alerts,
    metricsToken: config.operations.metrics.token,
  });
  const address = await app.listen({ host: config.apiHost, port: config.apiPort });
  return {
    app,
    url: address,
    client,
    async stop() {
      await app.close();
      await connection.close();
    },
  };
}
