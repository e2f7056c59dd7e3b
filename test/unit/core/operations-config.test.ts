// Operating settings from the environment: metrics ports and the alert relay's routes and token,
// refused at start-up with the variable named when they are wrong.
import { ConfigError } from '../../../core/config-error';
import { DEFAULT_ALERT_RETRY_DELAYS_MS, readOperationsConfig } from '../../../core/operations-config';

const TOKEN = 'a-token-of-enough-length';

describe('operations configuration', () => {
  it('serves no worker metrics by default, and puts the Temporal exporter next to KEEL_METRICS_PORT', () => {
    expect(readOperationsConfig({}).metrics).toEqual({ port: undefined, host: '127.0.0.1', temporalPort: undefined });
    expect(readOperationsConfig({ KEEL_METRICS_PORT: '9464' }).metrics).toMatchObject({ port: 9464, temporalPort: 9465 });
    expect(readOperationsConfig({ KEEL_METRICS_PORT: '9464', KEEL_TEMPORAL_METRICS_PORT: '0' }).metrics.temporalPort).toBeUndefined();
  });

  it('names KEEL_METRICS_PORT when it is not a port', () => {
    expect(() => readOperationsConfig({ KEEL_METRICS_PORT: 'ninety' })).toThrow(/KEEL_METRICS_PORT.*not a port/);
  });

  it('reads alert routes of each type with the default retries', () => {
    const routes = [
      { type: 'dingtalk', name: 'd', url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SEC1' },
      { type: 'feishu', name: 'f', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/y' },
      { type: 'slack', name: 's', url: 'https://hooks.slack.com/services/T/B/Z', match: { severity: 'critical' } },
      { type: 'webhook', name: 'w', url: 'http://pager.internal/hook', headers: { 'x-team': 'ops' } },
    ];
    const alerts = readOperationsConfig({ KEEL_ALERT_ROUTES: JSON.stringify(routes), KEEL_ALERT_WEBHOOK_TOKEN: TOKEN }).alerts;
    expect(alerts.routes.map((route) => route.type)).toEqual(['dingtalk', 'feishu', 'slack', 'webhook']);
    expect(alerts.retryDelaysMs).toEqual(DEFAULT_ALERT_RETRY_DELAYS_MS);
  });

  it.each([
    ['JSON that does not parse', { KEEL_ALERT_ROUTES: '[{', KEEL_ALERT_WEBHOOK_TOKEN: TOKEN }, /KEEL_ALERT_ROUTES.*not JSON/],
    ['an unknown route type', { KEEL_ALERT_ROUTES: '[{"type":"pager","name":"p","url":"https://x"}]', KEEL_ALERT_WEBHOOK_TOKEN: TOKEN }, /routes\.0\.type/],
    ['a URL that is not http', { KEEL_ALERT_ROUTES: '[{"type":"slack","name":"s","url":"ftp://x"}]', KEEL_ALERT_WEBHOOK_TOKEN: TOKEN }, /routes\.0\.url/],
    ['a name used twice', { KEEL_ALERT_ROUTES: '[{"type":"slack","name":"s","url":"https://a"},{"type":"slack","name":"s","url":"https://b"}]', KEEL_ALERT_WEBHOOK_TOKEN: TOKEN }, /used twice/],
    ['routes without a token', { KEEL_ALERT_ROUTES: '[{"type":"slack","name":"s","url":"https://a"}]' }, /KEEL_ALERT_WEBHOOK_TOKEN/],
    ['a short token', { KEEL_ALERT_WEBHOOK_TOKEN: 'short' }, /at least 16/],
    ['retry delays that are not numbers', { KEEL_ALERT_RETRY_DELAYS_MS: '100,soon' }, /KEEL_ALERT_RETRY_DELAYS_MS/],
  ])('refuses %s with a ConfigError naming the variable', (_label, environment, message) => {
    expect(() => readOperationsConfig(environment)).toThrow(ConfigError);
    expect(() => readOperationsConfig(environment)).toThrow(message);
  });
});
