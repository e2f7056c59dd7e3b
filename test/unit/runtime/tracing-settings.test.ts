// Tracing is off without an OTLP endpoint and follows the standard OTEL_* variables when one is set.
import { DEFAULT_OTLP_PROTOCOL, tracingSettings, TracingSettingsInvalid } from '../../../runtime/tracing';

describe('tracing settings from OTEL_* variables', () => {
  it('turns tracing off when no endpoint is set, or when the SDK is disabled', () => {
    expect(tracingSettings({}, 'keel-api')).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, 'keel-api')).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' }, 'keel-api')).toBeUndefined();
  });

  it('posts to the endpoint\'s /v1/traces over protobuf by default, named after the process', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }, 'keel-worker')).toEqual({
      tracesUrl: 'http://jaeger:4318/v1/traces', protocol: DEFAULT_OTLP_PROTOCOL, serviceName: 'keel-worker',
    });
  });

  it('prefers the traces-only endpoint and protocol and OTEL_SERVICE_NAME', () => {
    expect(tracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'keel-eu',
    }, 'keel-api')).toEqual({ tracesUrl: 'http://tempo:4318/custom/traces', protocol: 'http/json', serviceName: 'keel-eu' });
  });

  it('names the variable when it holds something Keel cannot use', () => {
    const grpc = () => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'keel-api');
    expect(grpc).toThrow(TracingSettingsInvalid);
    expect(grpc).toThrow(/^OTEL_EXPORTER_OTLP_PROTOCOL: .*http\/protobuf/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger' }, 'keel-api')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
