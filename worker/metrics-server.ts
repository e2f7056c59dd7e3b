// The worker's /metrics (KEEL_METRICS_PORT): its own registry, followed by the Temporal SDK's
// series read from the runtime's Prometheus exporter on 127.0.0.1, so one scrape target has both.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerCheck, type KeelMetrics } from '../runtime/metrics';
import { errorMessage } from '../core/error-message';

/** The SDK's exporter is local: it answers fast or is not there. */
export const TEMPORAL_SCRAPE_TIMEOUT_MS = 2000;

export type MetricsServer = { url: string; close(): Promise<void> };

export async function startMetricsServer(metrics: KeelMetrics, options: { host: string; port: number; temporalPort?: number; token?: string }): Promise<MetricsServer> {
  const matches = bearerCheck(options.token);
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: `no route ${request.method} ${path}; metrics are at GET /metrics` } }));
      return;
    }
    if (!matches(request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'missing or wrong metrics token; expected "Authorization: Bearer <KEEL_METRICS_TOKEN>"' } }));
      return;
    }
    void exposition(metrics, options.temporalPort).then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'metrics_failed', message: errorMessage(error) } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function exposition(metrics: KeelMetrics, temporalPort: number | undefined): Promise<string> {
  const own = await metrics.registry.metrics();
  if (temporalPort === undefined) return own;
  try {
    const response = await fetch(`http://127.0.0.1:${temporalPort}/metrics`, { signal: AbortSignal.timeout(TEMPORAL_SCRAPE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return `${own}\n${await response.text()}`;
  } catch (error) {
    // Keel's own series still go out; the gap is named in the text for whoever reads it.
    return `${own}\n# Temporal SDK metrics unavailable on 127.0.0.1:${temporalPort}: ${errorMessage(error).replace(/\s+/g, ' ')}\n`;
  }
}
