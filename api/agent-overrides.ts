// How a run body and a saved agent definition combine: the agent's settings are the defaults and the
// run's fields win. Model choice is one decision, so a run naming any of model/models/complexity
// replaces all three; limits and policy merge key by key, so a run can change one limit or verdict.
import { AGENT_REFERENCE_PATTERN, type AgentSettings, type CreateRunBody } from './schemas';

export type AgentReference = { name: string; version?: number };

/** `name` or `name@3`; the body schema already checked the shape. */
export function parseAgentReference(reference: string): AgentReference {
  const match = AGENT_REFERENCE_PATTERN.exec(reference);
  if (!match?.[1]) throw new Error(`not an agent reference: ${reference}`);
  return { name: match[1], ...(match[2] === undefined ? {} : { version: Number(match[2]) }) };
}

const MODEL_CHOICE_FIELDS = ['model', 'models', 'complexity'] as const;

export function applyAgentSettings(settings: AgentSettings, body: CreateRunBody): CreateRunBody {
  const { agent: _agent, ...run } = body;
  // The agent's evals describe how its runs are scored, not how they run.
  const { scorers: _scorers, evalSampleRate: _rate, ...runSettings } = settings;
  const base: Omit<AgentSettings, 'scorers' | 'evalSampleRate'> = { ...runSettings };
  if (MODEL_CHOICE_FIELDS.some((field) => run[field] !== undefined)) {
    for (const field of MODEL_CHOICE_FIELDS) delete base[field];
  }
  const given = Object.fromEntries(Object.entries(run).filter(([, value]) => value !== undefined)) as CreateRunBody;
  const limits = base.limits || run.limits ? { ...base.limits, ...run.limits } : undefined;
  const policy = base.policy || run.policy ? { ...base.policy, ...run.policy } : undefined;
  return { ...base, ...given, ...(limits && { limits }), ...(policy && { policy }) };
}
