// Reads an API path now and again every `intervalMs` while the page is shown (the console's live updates).
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

export function usePolling(path, intervalMs) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let stopped = false;
    const load = () => get(path).then((data) => { if (!stopped) setState({ data, error: null }); }, (error) => { if (!stopped) setState((previous) => ({ ...previous, error })); });
    load();
    const timer = intervalMs ? setInterval(load, intervalMs) : undefined;
    return () => { stopped = true; clearInterval(timer); };
  }, [path, intervalMs]);
  return state;
}
