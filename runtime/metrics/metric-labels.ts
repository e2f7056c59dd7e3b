// Bounded label values: a model a run may name freely through a family (`ollama/*`) is labelled
// by its family, a tool name the model made up by "unknown", so no request can grow a series set.
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelPool } from '../../core/model-pool';
import { TOOL_NAMES } from '../../core/tool-names';

const KNOWN_TOOLS: ReadonlySet<string> = new Set(Object.values(TOOL_NAMES));
export const OTHER_LABEL = 'other';

export class MetricLabels {
  private readonly models: ReadonlySet<string>;
  private readonly families: readonly string[];

  constructor(private readonly catalog: ModelCatalog, private readonly pool?: ModelPool) {
    this.models = new Set([...catalog.ids().filter((id) => !id.endsWith('/*')), ...(pool?.ids() ?? [])]);
    this.families = catalog.ids().filter((id) => id.endsWith('/*'));
  }

  model(modelId: string): string {
    if (this.models.has(modelId)) return modelId;
    return this.families.find((family) => modelId.startsWith(family.slice(0, -1))) ?? OTHER_LABEL;
  }

  provider(modelId: string): string {
    if (!this.catalog.has(modelId)) return OTHER_LABEL;
    return this.catalog.resolve(modelId).provider;
  }

  tier(modelId: string): string {
    return this.pool?.model(modelId)?.tier ?? 'none';
  }

  /** Every model label with its provider: the series that start at zero. */
  knownModels(): Array<{ model: string; provider: string }> {
    const ids = [...new Set([...this.models, ...this.families])];
    return ids.map((id) => ({ model: id, provider: this.provider(id) }));
  }

  knownTools(): string[] {
    return [...KNOWN_TOOLS];
  }

  tool(toolName: string): string {
    return KNOWN_TOOLS.has(toolName) ? toolName : 'unknown';
  }
}
