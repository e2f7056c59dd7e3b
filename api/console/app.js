// The console's shell: asks for the API key once (or takes it from `#key=` and drops it from the
// address), keeps it in session storage, and shows the page the path names under one navigation.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiKey, get } from './lib/api.js';
import { html } from './lib/html.js';
import { interceptLinks, matchRoute, useLocation } from './lib/router.js';
import { ExperimentPage } from './pages/experiment-page.js';
import { ExperimentsPage } from './pages/experiments-page.js';
import { ModelsPage } from './pages/models-page.js';
import { NewRunPage } from './pages/new-run-page.js';
import { NotesPage } from './pages/notes-page.js';
import { ReviewsPage } from './pages/reviews-page.js';
import { RunPage } from './pages/run-page.js';
import { RunsPage } from './pages/runs-page.js';
import { UsagePage } from './pages/usage-page.js';

const NAVIGATION = [['runs', 'Runs'], ['new', 'New run'], ['reviews', 'Reviews'], ['models', 'Models'], ['usage', 'Usage'], ['notes', 'Notes'], ['experiments', 'Experiments']];

function takeKeyFromFragment() {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return;
  apiKey.set(decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

function KeyForm({ message, onSaved }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(message);
  const save = async (event) => {
    event.preventDefault();
    apiKey.set(value);
    try {
      await get('/v1/runs?limit=1');
      onSaved();
    } catch (failure) {
      apiKey.clear();
      setError(failure.message);
    }
  };
  return html`<main class="key-form"><form onSubmit=${save} aria-labelledby="key-title">
    <h1 id="key-title">Keel console</h1>
    <p>Enter an API key of your tenant. It stays in this tab's session storage and goes only to this server's API.</p>
    <label for="key">API key</label>
    <input id="key" type="password" autocomplete="off" value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
    <button id="save" type="submit" class="primary">Use key</button>
    ${error && html`<p class="error" role="alert">${error}</p>`}
  </form></main>`;
}

function Page({ route }) {
  switch (route.page) {
    case 'run': return html`<${RunPage} runId=${route.runId} />`;
    case 'runs': return html`<${RunsPage} />`;
    case 'new': return html`<${NewRunPage} />`;
    case 'reviews': return html`<${ReviewsPage} />`;
    case 'models': return html`<${ModelsPage} />`;
    case 'usage': return html`<${UsagePage} />`;
    case 'notes': return html`<${NotesPage} />`;
    case 'experiments': return html`<${ExperimentsPage} />`;
    case 'experiment': return html`<${ExperimentPage} experimentId=${route.experimentId} />`;
    default: return html`<p>No console page here. <a href="/console">Runs</a></p>`;
  }
}

function Console() {
  const [hasKey, setHasKey] = useState(Boolean(apiKey.get()));
  const [expired, setExpired] = useState(null);
  const path = useLocation();
  const route = matchRoute(path);
  useEffect(() => {
    const onUnauthorized = (event) => { apiKey.clear(); setExpired(event.detail); setHasKey(false); };
    window.addEventListener('keel:unauthorized', onUnauthorized);
    return () => window.removeEventListener('keel:unauthorized', onUnauthorized);
  }, []);
  const firstPath = useRef(path);
  useEffect(() => {
    document.title = `Keel · ${route.page === 'run' ? route.runId : route.page === 'experiment' ? route.experimentId : route.page}`;
    // After an in-page navigation, keyboard and screen-reader users start at the new page's content.
    if (path !== firstPath.current) { firstPath.current = null; document.getElementById('main')?.focus(); }
  }, [path]);
  if (!hasKey) return html`<${KeyForm} message=${expired} onSaved=${() => { setExpired(null); setHasKey(true); }} />`;
  const current = route.page === 'run' ? 'runs' : route.page === 'experiment' ? 'experiments' : route.page;
  return html`<div class="shell">
    <a class="skip" href="#main">Skip to content</a>
    <nav aria-label="Console"><span class="brand">Keel</span>
      <ul>${NAVIGATION.map(([page, label]) => html`<li><a href=${`/console/${page === 'runs' ? '' : page}`} aria-current=${page === current ? 'page' : undefined}>${label}</a></li>`)}</ul>
      <button type="button" class="link" onClick=${() => { apiKey.clear(); setHasKey(false); }}>Forget key</button>
    </nav>
    <main id="main" tabindex="-1"><${Page} route=${route} /></main>
  </div>`;
}

takeKeyFromFragment();
interceptLinks();
const root = document.getElementById('app');
root.replaceChildren();
render(html`<${Console} />`, root);
