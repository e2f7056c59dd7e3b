// POST /v1/alerts/webhook: Alertmanager's webhook receiver. Authenticated by its own bearer token
// (KEEL_ALERT_WEBHOOK_TOKEN, sent by Alertmanager's http_config.authorization), not an API key:
// Alertmanager belongs to the operator, not to a tenant. Answers 200 with each route's outcome;
// failures are dead-lettered rather than answered 5xx, so Alertmanager does not resend to routes
// that already delivered.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alertmanagerPayloadSchema } from '../../core/alerts';
import { bearerCheck } from '../../runtime/metrics';
import type { AlertRelay } from '../alerts/alert-relay';
import { HttpError } from '../http-error';
import { NO_API_KEY } from '../permissions';
import { errorResponse } from '../schemas';

const deliveryResource = z.object({
  route: z.string(),
  type: z.enum(['dingtalk', 'feishu', 'slack', 'webhook']),
  outcome: z.enum(['delivered', 'dead-lettered', 'skipped']),
  attempts: z.number().int(),
  alerts: z.number().int(),
  error: z.string().optional(),
});

export function alertRoutes(relay: AlertRelay, webhookToken: string | undefined): FastifyPluginAsync {
  const matches = bearerCheck(webhookToken);
  const authenticate = async (request: FastifyRequest) => {
    // 404, not 503: nothing is down, there is simply no receiver here (and fuzzers count 5xx as faults).
    if (webhookToken === undefined) throw new HttpError(404, 'alert_relay_disabled', 'the alert relay is off: set KEEL_ALERT_WEBHOOK_TOKEN (and KEEL_ALERT_ROUTES) on the API');
    if (!matches(request.headers.authorization)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong alert webhook token; expected "Authorization: Bearer <KEEL_ALERT_WEBHOOK_TOKEN>"');
    }
  };
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post('/v1/alerts/webhook', {
      config: { permission: NO_API_KEY },
      onRequest: authenticate,
      schema: {
        summary: "Relay an Alertmanager notification to the configured DingTalk, Feishu, Slack and webhook routes",
        description: 'Alertmanager webhook format (version 4). Bearer KEEL_ALERT_WEBHOOK_TOKEN. Each route is retried with backoff; a route that still fails is dead-lettered (alert_dead_letters).',
        security: [{ bearer: [] }],
        body: alertmanagerPayloadSchema,
        response: { 200: z.object({ deliveries: z.array(deliveryResource) }), 400: errorResponse, 401: errorResponse, 404: errorResponse },
      },
    }, async (request) => ({ deliveries: await relay.deliver(request.body) }));
  };
}
