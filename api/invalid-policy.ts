// The 400 answer to a malformed run policy, shared by the policy route (a tenant's default) and the
// run service (a run's overrides), so both name the field at fault the same way.
import type { ZodError } from 'zod';
import { HttpError } from './http-error';

/** A 400 naming the first malformed policy field. */
export function invalidPolicy(error: ZodError, prefix: string): HttpError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].join('.');
  return new HttpError(400, 'invalid_policy', `${field}: ${issue?.message ?? 'invalid'}`, { field, issues: error.issues });
}
