// Whether this process traces, and where spans go: the standard OpenTelemetry environment variables
// (OTEL_EXPORTER_OTLP_ENDPOINT and friends), read with zod. No endpoint, no tracing.
import { z } from 'zod';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
/** The OpenTelemetry default when neither protocol variable is set. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

export type TracingSettings = {
  /** Where spans are posted: the traces endpoint itself (`…/v1/traces`). */
  tracesUrl: string;
  protocol: OtlpProtocol;
  /** OTEL_SERVICE_NAME, when set, wins over the process's own name (keel-api, keel-worker). */
  serviceName: string;
};

const TracingEnvironmentSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS).optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(OTLP_PROTOCOLS).optional(),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

/** Thrown when an OTEL_* variable Keel reads is set to something it cannot use. */
export class TracingSettingsInvalid extends Error {
  constructor(readonly variable: string, readonly problem: string) {
    super(`${variable}: ${problem} (see README "Tracing")`);
    this.name = 'TracingSettingsInvalid';
  }
}

/** The settings, or undefined when tracing is off (no endpoint, or OTEL_SDK_DISABLED=true). */
export function tracingSettings(environment: Record<string, string | undefined>, serviceName: string): TracingSettings | undefined {
  const given = Object.fromEntries(Object.entries(environment).filter(([name, value]) => name.startsWith('OTEL_') && value !== undefined && value !== ''));
  const parsed = TracingEnvironmentSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TracingSettingsInvalid(String(issue?.path[0] ?? 'OTEL_*'), issue?.message ?? 'invalid');
  }
  const settings = parsed.data;
  if (settings.OTEL_SDK_DISABLED === 'true') return undefined;
  const tracesUrl = settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ?? (settings.OTEL_EXPORTER_OTLP_ENDPOINT && `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!tracesUrl) return undefined;
  return {
    tracesUrl,
    protocol: settings.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? settings.OTEL_EXPORTER_OTLP_PROTOCOL ?? DEFAULT_OTLP_PROTOCOL,
    serviceName: settings.OTEL_SERVICE_NAME ?? serviceName,
  };
}
