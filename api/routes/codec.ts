// The remote codec endpoint Temporal's Web UI and CLI call to show encrypted payloads decoded
// (POST <endpoint>/decode and /encode, payloads as base64 JSON). Two ways in: a tenant admin's API
// key (`Authorization: Bearer`), or the secret path segment KEEL_CODEC_UI_TOKEN for the Web UI,
// which sends no Keel key. Browsers reach it cross-origin, so the allowed origins get CORS headers.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiKeyAuthenticator } from '../auth';
import { HttpError } from '../http-error';
import { errorResponse } from '../schemas';

/** Roles whose keys may decode: whatever Temporal holds of their tenant's runs. */
export const CODEC_ROLES: readonly string[] = ['platform', 'owner', 'admin'];
const MAX_PAYLOADS = 1000;

export type CodecRouteOptions = { codecs: readonly PayloadCodec[]; uiToken?: string; corsOrigins: readonly string[]; authenticator: ApiKeyAuthenticator };

const base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const jsonPayload = z.object({ metadata: z.record(z.string().max(256), base64).optional(), data: base64.optional() });
const codecBody = z.object({ payloads: z.array(jsonPayload).max(MAX_PAYLOADS) });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
  data: Buffer.from(payload.data ?? '', 'base64'),
});
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});

async function applyCodecs(codecs: readonly PayloadCodec[], direction: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> {
  // Encoding runs the codecs in order, decoding in reverse (as the SDK's data converter does).
  let current = payloads;
  for (const codec of direction === 'encode' ? codecs : [...codecs].reverse()) current = await codec[direction](current);
  return current;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function codecRoutes(options: CodecRouteOptions): FastifyPluginAsync {
  const allowed = new Set(options.corsOrigins);
  const expectedUiToken = options.uiToken === undefined ? undefined : digest(options.uiToken);

  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      void reply.header('access-control-allow-origin', origin).header('vary', 'origin').header('access-control-allow-credentials', 'true')
        .header('access-control-allow-methods', 'POST, OPTIONS').header('access-control-allow-headers', 'content-type, authorization, x-namespace');
    }
  };
  const enabled = () => {
    // 404 like the alert relay: nothing is down, there is no codec here.
    if (options.codecs.length === 0) throw new HttpError(404, 'codec_disabled', 'payloads are not encrypted: set KEEL_PAYLOAD_KEYS on the API and the worker');
  };
  const byKey = async (request: FastifyRequest) => {
    enabled();
    const principal = await options.authenticator.authenticate(request);
    if (!CODEC_ROLES.includes(principal.role)) throw new HttpError(403, 'forbidden', `decoding payloads needs the ${CODEC_ROLES.join(' or ')} role; this key is ${principal.role}`);
  };
  const byUiToken = async (request: FastifyRequest<{ Params: { token: string } }>) => {
    enabled();
    if (expectedUiToken === undefined) throw new HttpError(404, 'codec_ui_disabled', 'the Web UI codec path is off: set KEEL_CODEC_UI_TOKEN and give the UI <api>/codec/ui/<token> as its codec endpoint');
    if (!timingSafeEqual(digest(request.params.token), expectedUiToken)) throw new HttpError(404, 'not_found', 'no such codec endpoint');
  };

  return async (app) => {
    app.addHook('onRequest', async (request, reply) => cors(request, reply));
    app.options('/codec/*', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const response = { 200: codecBody, 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };
    for (const direction of ['encode', 'decode'] as const) {
      typed.post(`/codec/${direction}`, {
        onRequest: byKey,
        schema: { summary: `${direction === 'decode' ? 'Decrypt' : 'Encrypt'} Temporal payloads (remote codec; a tenant admin's key)`, security: [{ bearer: [] }], body: codecBody, response },
      }, async (request) => ({ payloads: (await applyCodecs(options.codecs, direction, request.body.payloads.map(fromJson))).map(toJson) }));
      typed.post(`/codec/ui/:token/${direction}`, {
        onRequest: byUiToken,
        schema: {
          summary: `${direction === 'decode' ? 'Decrypt' : 'Encrypt'} Temporal payloads for the Web UI (KEEL_CODEC_UI_TOKEN in the path)`,
          security: [], params: z.object({ token: z.string().min(1).max(200) }), body: codecBody, response,
        },
      }, async (request) => ({ payloads: (await applyCodecs(options.codecs, direction, request.body.payloads.map(fromJson))).map(toJson) }));
    }
  };
}
