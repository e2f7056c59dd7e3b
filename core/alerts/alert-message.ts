// One notification as a human reads it in a chat: a title like Alertmanager's own
// ("[FIRING:2] KeelWorkerDown") and a markdown body, each alert's summary, description and labels.
import type { Alert, AlertmanagerPayload } from './alertmanager-payload';

export type AlertMessage = { title: string; markdown: string; firing: boolean };

/** Labels every alert has or that the title already says. */
const QUIET_LABELS = new Set(['alertname', '__name__']);

export function alertMessage(payload: AlertmanagerPayload, alerts: readonly Alert[]): AlertMessage {
  const firing = alerts.filter((alert) => alert.status === 'firing').length;
  const status = payload.status === 'firing' ? `FIRING:${firing}` : 'RESOLVED';
  const name = payload.commonLabels.alertname ?? payload.groupLabels.alertname ?? alerts[0]?.labels.alertname ?? 'alert';
  const title = `[${status}] ${name}`;
  const sections = alerts.map((alert) => {
    const heading = alert.annotations.summary ?? alert.labels.alertname ?? 'alert';
    const labels = Object.entries(alert.labels).filter(([label]) => !QUIET_LABELS.has(label)).map(([label, value]) => `${label}=${value}`).join(', ');
    return [
      `**${alert.status === 'firing' ? '🔥' : '✅'} ${heading}**`,
      alert.annotations.description,
      labels && `Labels: ${labels}`,
      alert.startsAt && `Since: ${alert.startsAt}`,
      alert.generatorURL && `[Source](${alert.generatorURL})`,
    ].filter(Boolean).join('\n\n');
  });
  const truncated = payload.truncatedAlerts ? [`…and ${payload.truncatedAlerts} more alerts Alertmanager left out`] : [];
  return { title, markdown: [`### ${title}`, ...sections, ...truncated].join('\n\n'), firing: payload.status === 'firing' };
}
