// Starts the HTTP API from configuration: Temporal client (traced when the process traces), services,
// Fastify listening.
import { Client, Connection } from '@temporalio/client';
import type { ConnectionLike } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { KeelConfig } from '../core/config';
import type { Logger } from '../runtime/logger';
import type { Services } from '../runtime/services';
import { TOOL_NAMES } from '../core/tool-names';
import { payloadCodecsFor } from '../runtime/payload-codec';
import { activeTracing } from '../runtime/tracing';
import { createApiServer } from './create-server';

export type RunningApi = { app: FastifyInstance; url: string; client: Client; stop(): Promise<void> };

export type StartApiOptions = {
  temporalUiUrl?: string;
  /**
   * A worker's connection in this process: the API's client shares it, so runs start eagerly on
   * that worker. The worker owns (and closes) it.
   */
  workerConnection?: ConnectionLike;
};

export async function startApi(config: KeelConfig, services: Services, logger: Logger, options: StartApiOptions = {}): Promise<RunningApi> {
  const own = options.workerConnection ? undefined : await Connection.connect({ address: config.temporalAddress });
  const payloadCodecs = payloadCodecsFor(config.codec.keys);
  const tracing = activeTracing();
  // With tracing on, each workflow start is a span whose context travels to the workflow in its headers.
  const interceptors = tracing ? { workflow: [new (await import('@temporalio/interceptors-opentelemetry')).OpenTelemetryWorkflowClientInterceptor()] } : undefined;
  const client = new Client({ connection: options.workerConnection ?? own, namespace: config.namespace, dataConverter: { payloadCodecs }, ...(interceptors && { interceptors }) });
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
    stepSlots: services.stepSlots,
    pool: services.pool,
    memory: services.memory,
    alerts: config.operations.alerts,
    metricsToken: config.operations.metrics.token,
    eagerStart: options.workerConnection !== undefined,
    codec: { codecs: payloadCodecs, uiToken: config.codec.uiToken, corsOrigins: config.codec.corsOrigins },
    tracing: tracing !== undefined,
    rateLimits: config.rateLimits,
  });
  const address = await app.listen({ host: config.apiHost, port: config.apiPort });
  return {
    app,
    url: address,
    client,
    async stop() {
      await app.close();
      await own?.close();
    },
  };
}
