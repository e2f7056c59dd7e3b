// Canonical JSON: object keys sorted at every depth and undefined fields left out, so two requests
// that mean the same thing serialise to the same string (and hash to the same cache key).

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  const entries = Object.entries(value).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  for (const [key, field] of entries) {
    if (field !== undefined) sorted[key] = canonical(field);
  }
  return sorted;
}
