// Placeholder.
import { html } from '../lib/html.js';

export function UsagePage() {
  return html`<p>Usage</p>`;
}
