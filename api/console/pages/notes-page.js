// Placeholder.
import { html } from '../lib/html.js';

export function NotesPage() {
  return html`<p>Notes</p>`;
}
