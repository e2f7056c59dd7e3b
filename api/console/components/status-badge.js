// A run, review or circuit status as a coloured badge of fixed height (no layout jump when it changes).
import { html } from '../lib/html.js';

export function StatusBadge({ status }) {
  return html`<span class=${`badge badge-${String(status).replace(/[^a-z-]/g, '-')}`} data-status=${status}>${String(status).replace(/_/g, ' ')}</span>`;
}
