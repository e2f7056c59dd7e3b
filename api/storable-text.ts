// Text PostgreSQL cannot store: NUL characters (text and jsonb refuse them) and unpaired UTF-16
// surrogates (not encodable as UTF-8). Every request's body, query and params are checked once, so
// such input is a 400 naming the field instead of a database error (a 500) deep in a route.
import { HttpError } from './http-error';

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Thrown (as a 400) when a request holds text PostgreSQL cannot store. */
export function unstorableText(field: string): HttpError {
  const message = 'must not contain NUL characters or unpaired UTF-16 surrogates';
  return new HttpError(400, 'invalid_request', `invalid request: ${field}: ${message}`, { field, issues: [{ field, message }] });
}

/** The path (dots) of the first string or key holding unstorable text, or undefined. Iterative: bodies may nest deeply. */
export function findUnstorableText(value: unknown, root: string): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: root }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) return path;
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        if (UNSTORABLE.test(key)) return `${path}.${key.replace(UNSTORABLE, '?')}`;
        pending.push({ value: child, path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}

/** A preValidation hook: rejects a request whose params, query or body hold unstorable text. */
export async function rejectUnstorableText(request: { params: unknown; query: unknown; body: unknown }): Promise<void> {
  for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
    const field = findUnstorableText(value, part);
    if (field) throw unstorableText(field);
  }
}
