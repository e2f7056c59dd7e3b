// The scenarios in force and how a request picks its rule: the newest scenario whose globs match
// the model, then its first rule that matches the turn, model and prompt, has firings left and (for
// a `probability` rule) wins its draw.
import { globsOf, matchesAnyGlob } from './model-glob';
import type { ModelCall } from './model-call';
import type { Scenario, ScenarioRule } from './scenario-schema';

/** Conversations whose `times` counts are remembered per scenario; the oldest are forgotten first. */
export const MAX_COUNTED_CONVERSATIONS = 100_000;
/** Model names whose scenario lookup is remembered; the memo is dropped when it grows past this. */
const MAX_REMEMBERED_MODELS = 10_000;

type ScenarioState = { scenario: Scenario; firings: Map<string, number>; draw: () => number };

export type RuleSelection =
  | { kind: 'rule'; scenario: Scenario; ruleIndex: number; rule: ScenarioRule }
  | { kind: 'no-scenario'; scriptedModels: string[] }
  | { kind: 'no-rule'; scenario: Scenario };

export class ScenarioRegistry {
  private readonly states = new Map<string, ScenarioState>();
  private readonly byModel = new Map<string, ScenarioState | null>();

  /** Adds or replaces (by name) a scenario; replacing forgets its `times` counts and makes it the newest. */
  add(scenario: Scenario): void {
    this.states.delete(scenario.name);
    this.states.set(scenario.name, { scenario, firings: new Map(), draw: seededRandom(scenario.seed ?? Math.floor(Math.random() * 2 ** 31)) });
    this.byModel.clear();
  }

  remove(name: string): boolean {
    const removed = this.states.delete(name);
    if (removed) this.byModel.clear();
    return removed;
  }

  list(): Scenario[] {
    return [...this.states.values()].map((state) => state.scenario);
  }

  scriptedModels(): string[] {
    return this.list().flatMap((scenario) => globsOf(scenario.models));
  }

  select(call: ModelCall): RuleSelection {
    const state = this.stateFor(call.model);
    if (!state) return { kind: 'no-scenario', scriptedModels: this.scriptedModels() };
    const { rules } = state.scenario;
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex += 1) {
      const rule = rules[ruleIndex]!;
      if (!ruleMatches(rule, call)) continue;
      if (rule.probability !== undefined && state.draw() >= rule.probability) continue;
      if (rule.times !== undefined && !takeFiring(state.firings, `${call.conversationKey}#${ruleIndex}`, rule.times)) continue;
      return { kind: 'rule', scenario: state.scenario, ruleIndex, rule };
    }
    return { kind: 'no-rule', scenario: state.scenario };
  }

  private stateFor(model: string): ScenarioState | undefined {
    const cached = this.byModel.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const newestFirst = [...this.states.values()].reverse();
    const found = newestFirst.find((state) => matchesAnyGlob(state.scenario.models, model));
    if (this.byModel.size >= MAX_REMEMBERED_MODELS) this.byModel.clear();
    this.byModel.set(model, found ?? null);
    return found;
  }
}

function ruleMatches(rule: ScenarioRule, call: ModelCall): boolean {
  if (rule.turn !== undefined && rule.turn !== call.turn) return false;
  if (rule.turns && (call.turn < rule.turns.from || (rule.turns.to !== undefined && call.turn > rule.turns.to))) return false;
  if (rule.model !== undefined && !matchesAnyGlob(rule.model, call.model)) return false;
  if (rule.promptIncludes !== undefined && !call.firstUserText.includes(rule.promptIncludes)) return false;
  if (rule.systemIncludes !== undefined && !call.systemText.includes(rule.systemIncludes)) return false;
  if (rule.lastMessageIncludes !== undefined && !call.lastMessageText.includes(rule.lastMessageIncludes)) return false;
  return true;
}

/** Counts one firing of a `times`-limited rule for a conversation, unless it has none left. */
function takeFiring(firings: Map<string, number>, key: string, times: number): boolean {
  const fired = firings.get(key) ?? 0;
  if (fired >= times) return false;
  if (fired === 0 && firings.size >= MAX_COUNTED_CONVERSATIONS) {
    const oldest = firings.keys().next();
    if (!oldest.done) firings.delete(oldest.value);
  }
  firings.set(key, fired + 1);
  return true;
}

/** mulberry32: a small seeded generator, so a seeded storm draws the same sequence every time. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
