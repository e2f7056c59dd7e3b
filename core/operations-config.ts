// What operating Keel needs from the environment: where the worker serves its metrics, and where
// the Temporal SDK's own Prometheus exporter binds (the worker's /metrics merges it in).
import { ConfigError } from './config-error';

/** The SDK's exporter sits next to the worker's metrics server unless told otherwise. */
export const TEMPORAL_METRICS_PORT_OFFSET = 1;

export type MetricsConfig = {
  /** KEEL_METRICS_PORT: the worker's metrics server; absent, the worker serves none (the API always has /metrics). */
  port?: number;
  /** KEEL_METRICS_HOST: the address it binds (HOST, or 127.0.0.1). */
  host: string;
  /** KEEL_TEMPORAL_METRICS_PORT: the SDK exporter's port on 127.0.0.1 (default KEEL_METRICS_PORT + 1; 0 turns it off). */
  temporalPort?: number;
};

export type OperationsConfig = { metrics: MetricsConfig };

export function readOperationsConfig(environment: Record<string, string | undefined>): OperationsConfig {
  const port = optionalPort(environment.KEEL_METRICS_PORT, 'metrics.port', 'KEEL_METRICS_PORT');
  const temporal = optionalPort(environment.KEEL_TEMPORAL_METRICS_PORT, 'metrics.temporalPort', 'KEEL_TEMPORAL_METRICS_PORT');
  const temporalPort = temporal === 0 ? undefined : temporal ?? (port ? port + TEMPORAL_METRICS_PORT_OFFSET : undefined);
  return { metrics: { port, host: environment.KEEL_METRICS_HOST || environment.HOST || '127.0.0.1', temporalPort } };
}

function optionalPort(value: string | undefined, setting: string, variable: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(setting, variable, `"${value}" is not a port number (0 to 65535)`);
  return port;
}
