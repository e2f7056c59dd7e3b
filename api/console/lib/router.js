// Path routing under /console with the History API: links inside the console navigate without a
// reload; the server answers every /console/* path with the same shell, so a reload lands here too.
import { useEffect, useState } from 'preact/hooks';

const ROUTE_EVENT = 'keel:navigate';

export function navigate(path) {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  window.dispatchEvent(new Event(ROUTE_EVENT));
}

export function useLocation() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(ROUTE_EVENT, update);
    return () => { window.removeEventListener('popstate', update); window.removeEventListener(ROUTE_EVENT, update); };
  }, []);
  return path;
}

/** Same-origin /console links navigate in place (plain clicks only: a middle click still opens a tab). */
export function interceptLinks() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || link.target || link.origin !== location.origin || !link.pathname.startsWith('/console')) return;
    // An anchor on this page (the skip link) is the browser's to follow.
    if (link.hash && link.pathname === location.pathname) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
}

export function matchRoute(path) {
  const run = /^\/console\/runs\/(run_[0-9A-Z]{26})\/?$/.exec(path);
  if (run) return { page: 'run', runId: run[1] };
  const experiment = /^\/console\/experiments\/(exp_[0-9A-Z]{26})\/?$/.exec(path);
  if (experiment) return { page: 'experiment', experimentId: experiment[1] };
  const name = path.replace(/^\/console\/?/, '').replace(/\/$/, '') || 'runs';
  return { page: name };
}
