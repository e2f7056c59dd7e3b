// The worker's model catalog: which ids a run may name and how each is reached. An id ending in
// `/*` is a family: `ollama/*` lets a run ask for `ollama/llama3.1`, sent to the provider as `llama3.1`.
import type { ModelSpec } from './model-spec';

/** Thrown when a run names a model the catalog does not have. */
export class UnknownModelError extends Error {
  constructor(readonly modelId: string, readonly known: readonly string[]) {
    super(`unknown model "${modelId}"; configured models: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownModelError';
  }
}

export class ModelCatalog {
  private readonly exact = new Map<string, ModelSpec>();
  private readonly families: ModelSpec[] = [];

  constructor(specs: readonly ModelSpec[]) {
    for (const spec of specs) {
      if (spec.id.endsWith('/*')) this.families.push(spec);
      else this.exact.set(spec.id, spec);
    }
  }

  ids(): string[] {
    return [...this.exact.keys(), ...this.families.map((spec) => spec.id)];
  }

  /** Every configured entry, families included (their model is `*`). */
  list(): ModelSpec[] {
    return [...this.exact.values(), ...this.families];
  }

  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  resolve(id: string): ModelSpec {
    const spec = this.find(id);
    if (!spec) throw new UnknownModelError(id, this.ids());
    return spec;
  }

  private find(id: string): ModelSpec | undefined {
    const exact = this.exact.get(id);
    if (exact) return exact;
    for (const family of this.families) {
      const prefix = family.id.slice(0, -1);
      if (id.startsWith(prefix) && id.length > prefix.length) {
        return { ...family, id, model: id.slice(prefix.length) };
      }
    }
    return undefined;
  }
}
