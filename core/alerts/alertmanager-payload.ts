// Alertmanager's webhook notification (version 4), as POST /v1/alerts/webhook accepts it. Fields
// Keel does not use pass through unchecked; the ones it formats are validated.
import { z } from 'zod';

/** More alerts than this in one notification are refused: Alertmanager's max_alerts keeps it lower. */
export const MAX_ALERTS_PER_NOTIFICATION = 1000;

const labelSet = z.record(z.string(), z.string());

export const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
}).loose();

export const alertmanagerPayloadSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema).min(1).max(MAX_ALERTS_PER_NOTIFICATION),
}).loose();

export type AlertmanagerPayload = z.infer<typeof alertmanagerPayloadSchema>;
export type Alert = z.infer<typeof alertSchema>;
