// Forwards one Alertmanager notification to every configured route that takes its alerts, in
// parallel; each route is retried with backoff, and a route that still fails is written to the
// dead-letter table (alert_dead_letters) with the message it would have sent.
import { alertMessage, alertsForRoute, type AlertmanagerPayload, type AlertRoute } from '../../core/alerts';
import { errorMessage } from '../../core/error-message';
import type { Logger } from '../../runtime/logger';
import type { KeelMetrics } from '../../runtime/metrics';
import type { AlertDeadLettersRepository } from '../../stores/alert-dead-letters-repository';
import { channelRequest, refusalIn } from './channel-requests';

/** One attempt's deadline: chat webhooks answer in well under a second when they are up. */
export const ALERT_REQUEST_TIMEOUT_MS = 5000;

export type RouteDelivery = {
  route: string;
  type: AlertRoute['type'];
  outcome: 'delivered' | 'dead-lettered' | 'skipped';
  attempts: number;
  alerts: number;
  error?: string;
};

export type AlertRelayDeps = {
  routes: readonly AlertRoute[];
  retryDelaysMs: readonly number[];
  deadLetters: AlertDeadLettersRepository;
  logger?: Logger;
  metrics?: KeelMetrics;
  requestTimeoutMs?: number;
};

export class AlertRelay {
  constructor(private readonly deps: AlertRelayDeps) {}

  get routeCount(): number {
    return this.deps.routes.length;
  }

  async deliver(payload: AlertmanagerPayload): Promise<RouteDelivery[]> {
    return Promise.all(this.deps.routes.map((route) => this.deliverTo(route, payload)));
  }

  private async deliverTo(route: AlertRoute, payload: AlertmanagerPayload): Promise<RouteDelivery> {
    const alerts = alertsForRoute(route, payload.alerts);
    const base = { route: route.name, type: route.type, alerts: alerts.length };
    if (alerts.length === 0) return { ...base, outcome: 'skipped', attempts: 0 };
    const message = alertMessage(payload, alerts);
    let lastError = '';
    const attempts = this.deps.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      // Signed afresh each attempt: DingTalk and Feishu refuse a timestamp older than about an hour.
      const request = channelRequest(route, message, { ...payload, alerts });
      try {
        const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(this.deps.requestTimeoutMs ?? ALERT_REQUEST_TIMEOUT_MS) });
        const refusal = refusalIn(route, response.status, await response.text());
        if (refusal === undefined) {
          this.deps.metrics?.alertDeliveries.inc({ route: route.name, type: route.type, outcome: 'delivered' });
          return { ...base, outcome: 'delivered', attempts: attempt };
        }
        lastError = refusal;
      } catch (error) {
        lastError = errorMessage(error);
      }
      this.deps.logger?.warn({ route: route.name, attempt, error: lastError }, 'alert delivery failed');
      const delay = this.deps.retryDelaysMs[attempt - 1];
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.deps.metrics?.alertDeliveries.inc({ route: route.name, type: route.type, outcome: 'dead-lettered' });
    await this.deps.deadLetters.add({
      route: route.name, routeType: route.type, groupKey: payload.groupKey ?? null, status: payload.status,
      payload: { ...payload, alerts }, attempts, lastError,
    }).catch((error: unknown) => this.deps.logger?.error({ err: error, route: route.name }, 'could not write the alert dead letter'));
    this.deps.logger?.error({ route: route.name, attempts, error: lastError }, 'alert dead-lettered after every attempt');
    return { ...base, outcome: 'dead-lettered', attempts, error: lastError };
  }
}
