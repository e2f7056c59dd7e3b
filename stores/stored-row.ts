// Rows read back from the database are parsed, not cast: jsonb holds whatever an earlier version
// wrote. Schemas accept every shape Keel has written, so a row that fails is corruption (or a write
// from outside Keel) and is reported with where it is, never passed on half-typed.
import type { z } from 'zod';

/** Thrown when a stored row (or a jsonb column of it) does not match its schema. */
export class StoredRowInvalid extends Error {
  constructor(readonly table: string, readonly id: string, readonly issues: ReadonlyArray<{ path: string; message: string }>) {
    super(`stored ${table} row ${id} is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`);
    this.name = 'StoredRowInvalid';
  }
}

export function parseStoredRow<S extends z.ZodType>(schema: S, value: unknown, where: { table: string; id: string | number }): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StoredRowInvalid(where.table, String(where.id), parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}
