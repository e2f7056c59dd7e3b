// What operating Keel needs from the environment: where the worker serves its metrics, where the
// Temporal SDK's own Prometheus exporter binds (the worker's /metrics merges it in), and the alert
// relay's routes and token.
import type { AlertRoute } from './alerts';
import { parseKeelEnvironment, type KeelEnvironment } from './environment-schema';

export { MIN_TOKEN_CHARS } from './environment-schema';

/** Waits between delivery attempts of an alert to one route: four attempts in about 5 s. */
export const DEFAULT_ALERT_RETRY_DELAYS_MS: readonly number[] = [250, 1000, 4000];

/** The SDK's exporter sits next to the worker's metrics server unless told otherwise. */
export const TEMPORAL_METRICS_PORT_OFFSET = 1;

export type MetricsConfig = {
  /** KEEL_METRICS_PORT: the worker's metrics server; absent, the worker serves none (the API always has /metrics). */
  port?: number;
  /** KEEL_METRICS_HOST: the address it binds (HOST, or 127.0.0.1). */
  host: string;
  /** KEEL_TEMPORAL_METRICS_PORT: the SDK exporter's port on 127.0.0.1 (default KEEL_METRICS_PORT + 1; 0 turns it off). */
  temporalPort?: number;
  /**
   * KEEL_METRICS_TOKEN: when set, the API's and the worker's /metrics answer only
   * `Authorization: Bearer <token>` (Prometheus: `authorization` in the scrape config). Tenant ids
   * are label values, so set it wherever tenants can reach /metrics.
   */
  token?: string;
};

export type AlertsConfig = {
  /** KEEL_ALERT_ROUTES: where POST /v1/alerts/webhook forwards (JSON array, core/alerts/alert-routes.ts). */
  routes: AlertRoute[];
  /** KEEL_ALERT_WEBHOOK_TOKEN: the bearer token Alertmanager sends (http_config.authorization); unset, the relay is off. */
  webhookToken?: string;
  /** KEEL_ALERT_RETRY_DELAYS_MS (comma-separated): the waits between attempts; one attempt more than waits. */
  retryDelaysMs: readonly number[];
};

export type OperationsConfig = { metrics: MetricsConfig; alerts: AlertsConfig };

/** Metrics and alerting from the environment; every malformed variable is named (core/environment-schema.ts). */
export function readOperationsConfig(environment: Record<string, string | undefined>): OperationsConfig {
  return operationsConfigFrom(parseKeelEnvironment(environment), environment);
}

export function operationsConfigFrom(parsed: KeelEnvironment, environment: Record<string, string | undefined>): OperationsConfig {
  const port = parsed.KEEL_METRICS_PORT;
  const temporal = parsed.KEEL_TEMPORAL_METRICS_PORT;
  const temporalPort = temporal === 0 ? undefined : temporal ?? (port ? port + TEMPORAL_METRICS_PORT_OFFSET : undefined);
  return {
    metrics: { port, host: environment.KEEL_METRICS_HOST || environment.HOST || '127.0.0.1', temporalPort, token: parsed.KEEL_METRICS_TOKEN },
    alerts: {
      routes: parsed.KEEL_ALERT_ROUTES ?? [],
      webhookToken: parsed.KEEL_ALERT_WEBHOOK_TOKEN,
      retryDelaysMs: parsed.KEEL_ALERT_RETRY_DELAYS_MS ?? DEFAULT_ALERT_RETRY_DELAYS_MS,
    },
  };
}
