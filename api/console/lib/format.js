// Display formats shared by the pages: money, token counts, durations, ages, JSON.

export const usd = (value) => (value === null || value === undefined ? '—' : value === 0 ? '$0' : value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);

export const count = (value) => (value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US'));

export function tokens(usage) {
  if (!usage) return '—';
  return `${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out`;
}

export function duration(milliseconds) {
  if (milliseconds === null || milliseconds === undefined) return '—';
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

export function age(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

export const json = (value) => JSON.stringify(value, null, 2);

export const TERMINAL_STATUSES = ['completed', 'failed', 'cancelled', 'step_limit_reached', 'budget_exceeded'];

/** The Temporal Web UI link: the API gives a path when it was not told the UI's address (the dev server's default). */
export function temporalLink(link) {
  return link.startsWith('/') ? `http://localhost:8233${link}` : link;
}
