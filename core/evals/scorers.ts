// Scorer definitions (what an eval checks on a finished run) as users give them: on an agent
// definition, in a POST /v1/runs/:id/scores body or on a dataset line. Deterministic kinds are
// scored in core/evals/deterministic-scoring.ts; `rubric` asks a judge model (rubric-judge.ts).
import { z } from 'zod';
import { jsonSchemaObject } from '../json-schema';

export const SCORER_KINDS = ['answer_regex', 'answer_json_schema', 'tool_used', 'tool_not_used', 'workspace_file', 'rubric'] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

export const MAX_SCORERS = 20;
export const MAX_PATTERN_CHARS = 2000;
export const MAX_RUBRIC_CHARS = 20_000;
const SCORER_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const scorerName = z.string().regex(SCORER_NAME_PATTERN, 'must be 1-63 lowercase letters, digits, _, . or -, starting with a letter or digit')
  .optional().describe('Names the scorer in scores and summaries; default: its kind.');

/** A JavaScript regular expression's source and flags that compile. */
function compiles(pattern: string, flags = ''): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}
const regexSource = z.string().min(1).max(MAX_PATTERN_CHARS).refine((pattern) => compiles(pattern), 'must be a valid regular expression');
const regexFlags = z.string().regex(/^[imsu]{0,4}$/, 'may only hold the flags i, m, s and u').optional();

/** A path inside the run's workspace: relative, no `..` segment. */
const workspacePath = z.string().min(1).max(1000)
  .refine((value) => !value.startsWith('/') && !value.split(/[\\/]/u).includes('..'), 'must be a path relative to the workspace, without ".."');

export const answerRegexScorer = z.object({
  kind: z.literal('answer_regex'),
  name: scorerName,
  pattern: regexSource.describe('The final answer must match this regular expression (JavaScript syntax).'),
  flags: regexFlags,
}).strict().refine((scorer) => compiles(scorer.pattern, scorer.flags), { message: 'the pattern does not compile with these flags', path: ['flags'] });

export const answerJsonSchemaScorer = z.object({
  kind: z.literal('answer_json_schema'),
  name: scorerName,
  schema: jsonSchemaObject().describe('The final answer must be JSON matching this JSON Schema.'),
}).strict();

export const toolUsedScorer = z.object({
  kind: z.literal('tool_used'),
  name: scorerName,
  tool: z.string().min(1).max(200).describe('The run must have called this tool at least once.'),
}).strict();

export const toolNotUsedScorer = z.object({
  kind: z.literal('tool_not_used'),
  name: scorerName,
  tool: z.string().min(1).max(200).describe('The run must never have called this tool.'),
}).strict();

export const workspaceFileScorer = z.object({
  kind: z.literal('workspace_file'),
  name: scorerName,
  path: workspacePath.describe('A file in the run\'s workspace; with none of equals, contains or regex it only has to exist.'),
  equals: z.string().max(1_000_000).optional(),
  contains: z.string().min(1).max(100_000).optional(),
  regex: regexSource.optional(),
  flags: regexFlags.describe('Flags of `regex` (i, m, s, u); `m` lets ^ and $ match at each line.'),
}).strict().refine((scorer) => [scorer.equals, scorer.contains, scorer.regex].filter((value) => value !== undefined).length <= 1, {
  message: 'give at most one of equals, contains and regex',
}).refine((scorer) => scorer.regex === undefined || compiles(scorer.regex, scorer.flags), { message: 'the regex does not compile with these flags', path: ['flags'] });

export const rubricScorer = z.object({
  kind: z.literal('rubric'),
  name: scorerName,
  model: z.string().min(1).max(200).describe('The judge model (GET /v1/models).'),
  rubric: z.string().trim().min(1).max(MAX_RUBRIC_CHARS).describe('What a good answer does; the judge grades the answer against it from 0 to 1.'),
  passThreshold: z.number().min(0).max(1).default(0.7).describe('The judge\'s score at or above which the scorer passes (default 0.7).'),
}).strict();

export const scorerSchema = z.union([answerRegexScorer, answerJsonSchemaScorer, toolUsedScorer, toolNotUsedScorer, workspaceFileScorer, rubricScorer]);
export type Scorer = z.output<typeof scorerSchema>;
export type ScorerInput = z.input<typeof scorerSchema>;

/** The name a scorer's scores carry. */
export function scorerNameOf(scorer: Pick<Scorer, 'kind' | 'name'>): string {
  return scorer.name ?? scorer.kind;
}

/** A list of scorers whose names are distinct (scores are kept per name). */
export const scorersSchema = z.array(scorerSchema).min(1).max(MAX_SCORERS).superRefine((scorers, context) => {
  const seen = new Set<string>();
  scorers.forEach((scorer, index) => {
    const name = scorerNameOf(scorer);
    if (seen.has(name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `two scorers are named "${name}": give each a distinct name` });
    seen.add(name);
  });
});

/** What a dataset line or a scoring request may say the run should produce: shown to rubric judges as the reference. */
export const expectedSchema = z.record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 50_000, 'must be at most 50000 characters as JSON');
export type Expected = z.output<typeof expectedSchema>;

/** One scorer's verdict on one run. */
export type ScoreVerdict = {
  scorer: string;
  kind: ScorerKind;
  /** 0..1. */
  score: number;
  passed: boolean;
  reason: string;
};
