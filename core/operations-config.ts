// What operating Keel needs from the environment: where the worker serves its metrics, where the
// Temporal SDK's own Prometheus exporter binds (the worker's /metrics merges it in), and the alert
// relay's routes and token.
import { parseAlertRoutes, type AlertRoute } from './alerts';
import { ConfigError } from './config-error';

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

export function readOperationsConfig(environment: Record<string, string | undefined>): OperationsConfig {
  const port = optionalPort(environment.KEEL_METRICS_PORT, 'metrics.port', 'KEEL_METRICS_PORT');
  const temporal = optionalPort(environment.KEEL_TEMPORAL_METRICS_PORT, 'metrics.temporalPort', 'KEEL_TEMPORAL_METRICS_PORT');
  const temporalPort = temporal === 0 ? undefined : temporal ?? (port ? port + TEMPORAL_METRICS_PORT_OFFSET : undefined);
  return {
    metrics: { port, host: environment.KEEL_METRICS_HOST || environment.HOST || '127.0.0.1', temporalPort, token: readToken(environment, 'KEEL_METRICS_TOKEN', 'metrics.token') },
    alerts: readAlertsConfig(environment),
  };
}

/** Long enough to be unguessable; Alertmanager and Prometheus send them as `Authorization: Bearer …`. */
export const MIN_TOKEN_CHARS = 16;

function readToken(environment: Record<string, string | undefined>, variable: string, setting: string): string | undefined {
  const token = environment[variable] || undefined;
  if (token !== undefined && token.length < MIN_TOKEN_CHARS) {
    throw new ConfigError(setting, variable, `must be at least ${MIN_TOKEN_CHARS} characters (e.g. openssl rand -hex 32)`);
  }
  return token;
}

function readAlertsConfig(environment: Record<string, string | undefined>): AlertsConfig {
  const routes = parseAlertRoutes(environment.KEEL_ALERT_ROUTES);
  const webhookToken = readToken(environment, 'KEEL_ALERT_WEBHOOK_TOKEN', 'operations.alerts.webhookToken');
  if (routes.length > 0 && webhookToken === undefined) {
    throw new ConfigError('operations.alerts.webhookToken', 'KEEL_ALERT_WEBHOOK_TOKEN', 'KEEL_ALERT_ROUTES is set but the relay has no token to check Alertmanager\'s requests against; set one (openssl rand -hex 32) and send it from Alertmanager\'s http_config');
  }
  const delaysText = environment.KEEL_ALERT_RETRY_DELAYS_MS;
  const retryDelaysMs = delaysText === undefined || delaysText === '' ? DEFAULT_ALERT_RETRY_DELAYS_MS : delaysText.split(',').map((part) => Number(part.trim()));
  if (retryDelaysMs.some((delay) => !Number.isInteger(delay) || delay < 0 || delay > 60_000)) {
    throw new ConfigError('operations.alerts.retryDelaysMs', 'KEEL_ALERT_RETRY_DELAYS_MS', `"${delaysText}" is not comma-separated milliseconds (0 to 60000) such as "250,1000,4000"`);
  }
  return { routes, webhookToken, retryDelaysMs };
}

function optionalPort(value: string | undefined, setting: string, variable: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(setting, variable, `"${value}" is not a port number (0 to 65535)`);
  return port;
}
