// The HTTP request each kind of route receives for one notification, signed as its platform
// documents: DingTalk (markdown; `timestamp` and `sign` = base64 HMAC-SHA256 keyed by the secret
// over "timestamp\nsecret", in the query), Feishu/Lark (interactive card; `sign` = base64
// HMAC-SHA256 keyed by "timestamp\nsecret" over an empty message, in the body), Slack (text) and
// generic webhooks (Alertmanager's own JSON, with an optional X-Keel-Signature).
import { createHmac } from 'node:crypto';
import type { AlertMessage, AlertmanagerPayload, AlertRoute } from '../../core/alerts';

export type ChannelRequest = { url: string; headers: Record<string, string>; body: string };

export const WEBHOOK_SIGNATURE_HEADER = 'x-keel-signature';

export function dingTalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

export function channelRequest(route: AlertRoute, message: AlertMessage, payload: AlertmanagerPayload, now: number = Date.now()): ChannelRequest {
  const json = { 'content-type': 'application/json' };
  switch (route.type) {
    case 'dingtalk': {
      const url = new URL(route.url);
      if (route.secret) {
        url.searchParams.set('timestamp', String(now));
        // URLSearchParams encodes it (+, / and = of base64), as DingTalk's urlEncode step asks.
        url.searchParams.set('sign', dingTalkSign(now, route.secret));
      }
      return { url: url.toString(), headers: json, body: JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text: message.markdown } }) };
    }
    case 'feishu': {
      const seconds = Math.floor(now / 1000);
      const signature = route.secret ? { timestamp: String(seconds), sign: feishuSign(seconds, route.secret) } : {};
      const card = {
        config: { wide_screen_mode: true },
        header: { template: message.firing ? 'red' : 'green', title: { tag: 'plain_text', content: message.title } },
        elements: [{ tag: 'markdown', content: message.markdown }],
      };
      return { url: route.url, headers: json, body: JSON.stringify({ ...signature, msg_type: 'interactive', card }) };
    }
    case 'slack':
      return { url: route.url, headers: json, body: JSON.stringify({ text: `*${message.title}*\n${message.markdown.replace(/\*\*/g, '*')}` }) };
    case 'webhook': {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { ...json, ...route.headers };
      if (route.secret) headers[WEBHOOK_SIGNATURE_HEADER] = `sha256=${createHmac('sha256', route.secret).update(body).digest('hex')}`;
      return { url: route.url, headers, body };
    }
  }
}

/**
 * DingTalk and Feishu answer HTTP 200 with an error code for a bad signature or a rate limit:
 * the body decides whether the message was taken. Undefined means delivered.
 */
export function refusalIn(route: AlertRoute, status: number, text: string): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}: ${text.slice(0, 300)}`;
  if (route.type !== 'dingtalk' && route.type !== 'feishu') return undefined;
  let body: { errcode?: unknown; errmsg?: unknown; code?: unknown; msg?: unknown; StatusCode?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status} with a body that is not JSON: ${text.slice(0, 300)}`;
  }
  const code = route.type === 'dingtalk' ? body?.errcode : body?.code ?? body?.StatusCode;
  if (code === undefined || code === 0) return undefined;
  return `${route.type} refused the message: code ${String(code)} ${String(body?.errmsg ?? body?.msg ?? '')}`.trim();
}
