// Placeholder.
import { html } from '../lib/html.js';

export function ModelsPage() {
  return html`<p>Models</p>`;
}
