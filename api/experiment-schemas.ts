// Request and response shapes of /v1/experiments (zod; also the OpenAPI document): arms as weighted
// overrides of an agent's settings, the experiment resource and its report.
import { z } from 'zod';
import { agentName, agentSettings } from './schemas';

export const EXPERIMENT_STATUSES = ['running', 'stopped'] as const;
export const MAX_ARMS = 10;
export const EXPERIMENT_ID_PATTERN = /^exp_[0-9A-Z]{26}$/;

/** What an arm may change of the agent's settings: prompt, model choice (model, models or pool complexity), tools, policy, limits, budget, skills. */
export const armOverrides = agentSettings.pick({
  instructions: true, model: true, models: true, complexity: true, tools: true, policy: true, limits: true, budget: true, skills: true,
}).strict();
export type ArmOverrides = z.infer<typeof armOverrides>;

export const armName = () => z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a slug: 1-63 lowercase letters, digits, - or _, starting with a letter or digit');

export const experimentArm = z.object({
  name: armName(),
  weight: z.number().positive().max(1_000_000).describe('Relative share of users (weights 1 and 3: a quarter and three quarters).'),
  overrides: armOverrides.default({}).describe("The agent's settings this arm changes; {} is the agent as saved (a control arm)."),
}).strict();
export type ExperimentArm = z.infer<typeof experimentArm>;

export const experimentArms = z.array(experimentArm).min(2).max(MAX_ARMS).superRefine((arms, context) => {
  const seen = new Set<string>();
  arms.forEach((arm, index) => {
    if (seen.has(arm.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `arm name "${arm.name}" is used twice` });
    seen.add(arm.name);
  });
});

export const createExperimentBody = z.object({
  name: z.string().trim().min(1).max(200),
  agent: agentName().describe('The agent definition (GET /v1/agents) whose runs the experiment splits.'),
  arms: experimentArms.describe('The first arm is the baseline every other arm is tested against.'),
}).strict();
export type CreateExperimentBody = z.infer<typeof createExperimentBody>;

export const experimentIdParams = z.object({ id: z.string().regex(EXPERIMENT_ID_PATTERN, 'must be an experiment id like exp_01J...') });
export const listExperimentsQuery = z.object({
  agent: agentName().optional().describe("Only this agent's experiments."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();
export const stopExperimentBody = z.object({ winner: armName().describe('The arm every run of the agent gets from now on.') }).strict();

export const experimentResource = z.object({
  id: z.string(),
  name: z.string(),
  agent: z.string(),
  status: z.enum(EXPERIMENT_STATUSES),
  winner: z.string().nullable().describe('Set when stopped: the arm every new run of the agent gets.'),
  arms: z.array(z.object({ name: z.string(), weight: z.number(), overrides: z.record(z.string(), z.unknown()) })),
  createdBy: z.string(),
  createdAt: z.string(),
  stoppedBy: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  links: z.object({ self: z.string(), report: z.string(), console: z.string() }),
});

const interval = z.object({ low: z.number(), high: z.number() }).nullable().describe('95% confidence interval; null without enough data.');
const comparison = z.object({
  test: z.enum(['two-proportion-z', 'welch-t']),
  difference: z.number().describe("This arm's estimate minus the baseline's."),
  statistic: z.number().nullable(),
  pValue: z.number(),
  degreesOfFreedom: z.number().nullable().optional(),
  significant: z.boolean().describe('p < 0.05.'),
}).nullable().describe('Against the baseline (the first arm); null for the baseline or without data on either side.');
const rateSummary = z.object({ kind: z.literal('rate'), n: z.number(), successes: z.number(), estimate: z.number().nullable(), interval, comparison });
const meanSummary = z.object({ kind: z.literal('mean'), n: z.number(), estimate: z.number().nullable(), standardDeviation: z.number().nullable(), interval, comparison });

export const experimentReport = z.object({
  experiment: experimentResource,
  baseline: z.string(),
  confidenceLevel: z.number(),
  significanceLevel: z.number(),
  metrics: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string(), over: z.string() })),
  arms: z.array(z.object({
    name: z.string(),
    weight: z.number(),
    runs: z.object({
      enrolled: z.number().describe('Runs assigned this arm while the experiment ran.'),
      finished: z.number().describe('Of those, finished: the metrics are over these.'),
      active: z.number(),
      routedToWinner: z.number().describe('Runs sent to this arm as the winner after the stop (not in the metrics).'),
    }),
    metrics: z.object({
      completionRate: rateSummary, failureRate: rateSummary, budgetExceededRate: rateSummary, approvalRate: rateSummary, rejectionRate: rateSummary,
      reflectionConfidence: meanSummary, evalScore: meanSummary, costUsd: meanSummary, tokens: meanSummary, durationSeconds: meanSummary, steps: meanSummary,
    }),
  })),
  generatedAt: z.string(),
});
