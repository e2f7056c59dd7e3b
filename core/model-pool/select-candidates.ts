// The pool's selection policy (pure, no I/O): which models may serve a request, in the order the
// workflow tries them, and why every other model was left out.
import { budgetProblem, contextWindowProblem, type Budget } from './call-admission';
import type { CircuitState } from './circuit-state';
import { estimateCallCost, formatUsd } from './cost';
import type { Capabilities, PoolConfig, PoolModel, Speed } from './pool-config';
import { tierDirection, tierWalk, type Complexity, type PoolTier } from './tiers';

export type { Budget };
export type CapabilityNeeds = Partial<Capabilities>;

export type SelectionInput = {
  pool: PoolConfig;
  complexity: Complexity;
  budget?: Budget;
  /** Tokens of the prompt as it will be sent (system, transcript, tool definitions). */
  requestTokens: number;
  /** Output allowance asked for; a model's own `maxOutputTokens` lowers it for that model. */
  maxOutputTokens: number;
  needs?: CapabilityNeeds;
  /** Current circuit states by model id; a model not listed counts as closed. */
  circuits: Record<string, CircuitState>;
};

export type Candidate = { modelId: string; tier: PoolTier; estimatedCost: number; reason: string };
export type SkippedModel = { modelId: string; tier: PoolTier; reason: string };
export type Selection = { candidates: Candidate[]; decision: string; skipped: SkippedModel[] };

const SPEED_RANK: Record<Speed, number> = { fast: 0, medium: 1, slow: 2 };
const CAPABILITY_NAMES = ['tools', 'vision', 'reasoning'] as const;

/**
 * Walks the tiers from the preferred one (down, then up; see `tierWalk`) and, within each tier,
 * keeps the models that can take the request, cheapest first (faster first on a tie). A half-open
 * model stays in the list: the store's `acquire` lets exactly one caller make its trial call, and
 * the others move on to the next candidate.
 */
export function selectCandidates(input: SelectionInput): Selection {
  const preferred = input.pool.complexityTiers[input.complexity];
  const candidates: Candidate[] = [];
  const skipped: SkippedModel[] = [];
  for (const tier of tierWalk(preferred)) {
    const fitting: Array<Candidate & { speed: Speed }> = [];
    for (const model of input.pool.tiers[tier]) {
      const outputTokens = Math.min(input.maxOutputTokens, model.maxOutputTokens ?? input.maxOutputTokens);
      const estimatedCost = estimateCallCost(model.pricing, input.requestTokens, outputTokens);
      const problem = whyNot(model, input, outputTokens, estimatedCost);
      if (problem) {
        skipped.push({ modelId: model.id, tier, reason: problem });
        continue;
      }
      const direction = tierDirection(tier, preferred);
      const where = direction === 'preferred' ? `${tier} tier (preferred for ${input.complexity})` : `${tier} tier (${direction} from ${preferred})`;
      const trial = input.circuits[model.id] === 'half-open' ? ', half-open trial' : '';
      fitting.push({ modelId: model.id, tier, estimatedCost, reason: `${where}, est ${formatUsd(estimatedCost)}${trial}`, speed: model.speed });
    }
    fitting.sort((a, b) => a.estimatedCost - b.estimatedCost || SPEED_RANK[a.speed] - SPEED_RANK[b.speed]);
    candidates.push(...fitting.map(({ speed: _speed, ...candidate }) => candidate));
  }
  return { candidates, skipped, decision: describeDecision(input.complexity, preferred, candidates, skipped) };
}

/** The first reason a model cannot take the request, or undefined when it can. */
function whyNot(model: PoolModel, input: SelectionInput, outputTokens: number, estimatedCost: number): string | undefined {
  const lacking = CAPABILITY_NAMES.filter((name) => input.needs?.[name] && !model.capabilities[name]);
  if (lacking.length > 0) return `lacks ${lacking.join(', ')}`;
  const tooLarge = contextWindowProblem(model, input.requestTokens, outputTokens);
  if (tooLarge) return tooLarge;
  if (input.circuits[model.id] === 'open') return 'circuit open';
  return budgetProblem(estimatedCost, input.budget);
}

/** One line for the `model.selected` event and for the error when nothing fits. */
function describeDecision(complexity: Complexity, preferred: PoolTier, candidates: Candidate[], skipped: SkippedModel[]): string {
  const skippedText = skipped.length > 0 ? `; skipped ${skipped.map((model) => `${model.modelId} (${model.reason})`).join(', ')}` : '';
  const first = candidates[0];
  if (!first) return `no model fits this ${complexity} request${skippedText}`;
  const route = first.tier === preferred ? `${complexity} → ${preferred}` : `${complexity} → ${preferred} had no usable model, using ${first.tier}`;
  const fallbacks = candidates.length > 1 ? `, then ${candidates.slice(1).map((candidate) => candidate.modelId).join(', ')}` : '';
  return `${route}: ${first.modelId} (est ${formatUsd(first.estimatedCost)})${fallbacks}${skippedText}`;
}
