// How an arm's overrides change an agent's settings (the same rules as a run body: model choice is
// one decision, limits and policy merge key by key), and which runs an experiment may enrol.
import type { ArmOverrides, ExperimentArm } from './experiment-schemas';
import type { AgentSettings, CreateRunBody } from './schemas';

const MODEL_CHOICE_FIELDS = ['model', 'models', 'complexity'] as const;

export function applyArmOverrides(settings: AgentSettings, overrides: ArmOverrides): AgentSettings {
  const base: AgentSettings = { ...settings };
  if (MODEL_CHOICE_FIELDS.some((field) => overrides[field] !== undefined)) {
    for (const field of MODEL_CHOICE_FIELDS) delete base[field];
  }
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const limits = base.limits || overrides.limits ? { ...base.limits, ...overrides.limits } : undefined;
  const policy = base.policy || overrides.policy ? { ...base.policy, ...overrides.policy } : undefined;
  return { ...base, ...given, ...(limits && { limits }), ...(policy && { policy }) };
}

/** The settings any arm changes, with the model choice as one: `model` stands for model, models and complexity. */
function armedFields(arms: readonly ExperimentArm[]): Set<string> {
  const fields = new Set<string>();
  for (const arm of arms) {
    for (const [field, value] of Object.entries(arm.overrides)) {
      if (value !== undefined) fields.add((MODEL_CHOICE_FIELDS as readonly string[]).includes(field) ? 'model' : field);
    }
  }
  return fields;
}

/**
 * A run whose body sets what the arms vary (its own model when the arms pick models) would not run
 * the arm it was given, so it is not enrolled: counting it would blur the arms' difference.
 */
export function bodyOverridesArms(body: CreateRunBody, arms: readonly ExperimentArm[]): boolean {
  const fields = armedFields(arms);
  return Object.entries(body).some(([field, value]) => value !== undefined
    && fields.has((MODEL_CHOICE_FIELDS as readonly string[]).includes(field) ? 'model' : field));
}
