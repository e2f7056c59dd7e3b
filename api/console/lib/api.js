// The console's only data source: the /v1 HTTP API, called with the API key kept in session storage.
// Errors come back as ApiError with the API's code, message and details (details.field names the field).
const KEY_STORAGE = 'keel-key';

export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : { code: 'http_error', message: `HTTP ${status}` };
    super(error.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code;
    this.details = error.details;
  }

  /** The request field the API blamed (`body.message` → `message`), if any. */
  get field() {
    const field = this.details && typeof this.details.field === 'string' ? this.details.field : undefined;
    return field ? field.replace(/^body\./, '') : undefined;
  }
}

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_STORAGE) || '',
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key.trim()),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

export function authHeaders(extra = {}) {
  return { authorization: `Bearer ${apiKey.get()}`, ...extra };
}

/** One API call; resolves with the JSON body, rejects with ApiError. A 401 tells the shell to ask for a key again. */
export async function call(method, path, body) {
  const headers = authHeaders(body === undefined ? {} : { 'content-type': 'application/json' });
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  if (!response.ok) {
    const error = new ApiError(response.status, parsed);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('keel:unauthorized', { detail: error.message }));
    throw error;
  }
  return parsed;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
