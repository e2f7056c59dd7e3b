// Searches the tenant's notes (semantic memory) by meaning, optionally for one user or category:
// each hit's score with its parts (similarity, importance, recency) and its earlier versions.
import { useState } from 'preact/hooks';
import { get } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';

const MAX_VERSIONS = 20;
const score = (value) => (value === null || value === undefined ? '—' : value.toFixed(3));

function Versions({ note }) {
  const [versions, setVersions] = useState(null);
  const load = async () => {
    const chain = [];
    let previous = note.supersedesId;
    while (previous && chain.length < MAX_VERSIONS) {
      const earlier = await get(`/v1/notes/${encodeURIComponent(previous)}`);
      chain.push(earlier);
      previous = earlier.supersedesId;
    }
    setVersions(chain);
  };
  if (!note.supersedesId) return html`<span class="meta">version ${note.version}</span>`;
  if (versions === null) return html`<button type="button" class="link versions" onClick=${load}>version ${note.version}: show the earlier ${note.version - 1}</button>`;
  return html`<ol class="versions-list" reversed>${versions.map((earlier) => html`<li data-note-id=${earlier.id}><span class="meta">v${earlier.version} · ${new Date(earlier.createdAt).toLocaleString()}</span> ${earlier.content}</li>`)}</ol>`;
}

export function NotesPage() {
  const [form, setForm] = useState({ query: '', userId: '', category: '', history: false });
  const [result, setResult] = useState(null);
  const [errors, setErrors] = useState({});
  const set = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.type === 'checkbox' ? event.currentTarget.checked : event.currentTarget.value });

  const search = async (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (form.query.trim()) query.set('query', form.query.trim());
    if (form.userId.trim()) query.set('userId', form.userId.trim());
    if (form.category.trim()) query.set('category', form.category.trim());
    if (form.history) query.set('history', 'true');
    try {
      setResult(await get(`/v1/notes?${query}`));
      setErrors({});
    } catch (error) {
      setErrors(fieldErrors({ message: error.message, details: error.details && { ...error.details, issues: (error.details.issues || []).map((issue) => ({ ...issue, field: issue.field.replace(/^querystring\./, '') })) } }, ['query', 'userId', 'category']));
    }
  };

  return html`<section aria-labelledby="notes-title">
    <header class="page-head"><h1 id="notes-title">Notes</h1></header>
    <form class="notes-form" onSubmit=${search}>
      <div class="row">
        <div class="field grow"><label for="notes-query">Search (empty: the newest notes)</label><input id="notes-query" name="query" value=${form.query} onInput=${set('query')} /><div class="field-error">${errors.query ?? ''}</div></div>
        <div class="field"><label for="notes-user">User</label><input id="notes-user" name="userId" value=${form.userId} onInput=${set('userId')} placeholder="every user" /><div class="field-error">${errors.userId ?? ''}</div></div>
        <div class="field"><label for="notes-category">Category</label><input id="notes-category" name="category" value=${form.category} onInput=${set('category')} placeholder="any" /><div class="field-error">${errors.category ?? ''}</div></div>
      </div>
      <div class="actions"><label class="check"><input type="checkbox" name="history" checked=${form.history} onChange=${set('history')} /> include superseded and expired versions</label>
        <button type="submit" class="primary">Search</button></div>
      ${errors.form && html`<p class="error" role="alert">${errors.form}</p>`}
    </form>
    ${result && result.notes.length === 0 && html`<p class="empty">No notes match.</p>`}
    ${result && result.notes.length > 0 && html`<div class="table-wrap"><table class="notes">
      <thead><tr><th scope="col">Note</th><th scope="col">User</th><th scope="col">Category</th><th scope="col" class="number">Score</th><th scope="col" class="number">Similarity</th><th scope="col" class="number">Importance</th><th scope="col" class="number">Recency</th><th scope="col">Versions</th></tr></thead>
      <tbody>${result.notes.map((note) => html`<tr data-note-id=${note.id}>
        <td class="note-content">${note.content}${note.supersededBy ? html` <span class="meta">(superseded)</span>` : ''}</td><td>${note.userId ?? '—'}</td><td>${note.category}</td>
        <td class="number score">${score(note.score)}</td><td class="number similarity">${score(note.similarity)}</td><td class="number importance">${score(note.importance)}</td><td class="number recency">${score(note.recency)}</td>
        <td><${Versions} note=${note} /></td></tr>`)}</tbody>
    </table></div>`}
  </section>`;
}
