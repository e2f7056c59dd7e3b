// Where the alert relay forwards Alertmanager's notifications (KEEL_ALERT_ROUTES, a JSON array):
// DingTalk and Feishu/Lark robots (signed when given the robot's secret), Slack incoming webhooks
// and generic webhooks. A route with `match` takes only alerts whose labels equal those values
// (e.g. `{"tenant": "acme"}` for a tenant's own robot, or `{"severity": "critical"}`).
import { z } from 'zod';
import { ConfigError } from '../config-error';

const routeName = z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _, . and - only (at most 64)');
const httpUrl = z.url({ protocol: /^https?$/ });
const base = { name: routeName, url: httpUrl, match: z.record(z.string(), z.string()).optional() };

export const alertRouteSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dingtalk'), ...base, secret: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('feishu'), ...base, secret: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('slack'), ...base }),
  z.strictObject({ type: z.literal('webhook'), ...base, headers: z.record(z.string(), z.string()).optional(), secret: z.string().min(1).optional() }),
]);

export const alertRoutesSchema = z.array(alertRouteSchema).superRefine((routes, context) => {
  const seen = new Set<string>();
  routes.forEach((route, index) => {
    if (seen.has(route.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `route name "${route.name}" is used twice` });
    seen.add(route.name);
  });
});

export type AlertRoute = z.infer<typeof alertRouteSchema>;
export type AlertRouteType = AlertRoute['type'];

export function parseAlertRoutes(text: string | undefined): AlertRoute[] {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('operations.alerts.routes', 'KEEL_ALERT_ROUTES', `is not JSON: ${(error as Error).message}`);
  }
  const result = alertRoutesSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${['routes', ...issue.path].join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError('operations.alerts.routes', 'KEEL_ALERT_ROUTES', `${problems} (expected [{"type":"dingtalk"|"feishu"|"slack"|"webhook","name":"…","url":"https://…"}])`);
  }
  return result.data;
}

/** The alerts of a notification a route takes (all of them without `match`). */
export function alertsForRoute<A extends { labels: Record<string, string> }>(route: Pick<AlertRoute, 'match'>, alerts: readonly A[]): A[] {
  const match = route.match;
  if (!match) return [...alerts];
  return alerts.filter((alert) => Object.entries(match).every(([label, value]) => alert.labels[label] === value));
}
