// Scores a finished run (activity `scoreRun`): the deterministic scorers on what the run left, the
// rubric scorers by a judge model (the check-model call), each verdict stored once per scoring in
// `scores` and recorded as a `score.recorded` event. A retried attempt keeps the scores an earlier
// one wrote and asks the judge only for those it lacks; a judge still failing on the last attempt
// is a failing score that says so, so a batch eval always gets an answer.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import {
  isDeterministic,
  RUBRIC_JUDGE_MAX_OUTPUT_TOKENS,
  RUBRIC_JUDGE_SYSTEM_PROMPT,
  rubricPrompt,
  rubricVerdict,
  scoreDeterministic,
  scorerNameOf,
  SCORER_KINDS,
  scorersSchema,
  type Expected,
  type RubricScorer,
  type Scorer,
  type ScoreVerdict,
} from '../../core/evals';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { FAILURE_TYPES, NON_RETRYABLE_MODEL_FAILURES } from '../../core/errors';
import { SCORING_ATTEMPTS } from '../../core/retry-policies';
import { MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';
import { parseStoredRunSpec } from '../../core/run-input-schema';
import type { AgentsRepository } from '../../stores/agents-repository';
import type { RunsRepository } from '../../stores/runs-repository';
import type { NewScore, ScoreRow, ScoresRepository } from '../../stores/scores-repository';
import { parseStoredRow } from '../../stores/stored-row';
import type { TranscriptRepository } from '../../stores/transcript-repository';
import type { ScoreRunInput, ScoreRunResult } from '../contract';
import type { EventRecorder } from '../records/event-recorder';
import { askCheckModel, failureMessage, type CheckCallAttribution, type CheckModelDeps } from './check-model';
import { boundedRegexTest } from './bounded-regex';
import { transcriptEvidence, workspaceFiles, type TranscriptEvidence } from './run-evidence';

export type RunScoringDeps = CheckModelDeps & {
  runs: Pick<RunsRepository, 'getById'>;
  agents: Pick<AgentsRepository, 'get'>;
  transcripts: Pick<TranscriptRepository, 'loadAfter'>;
  scores: Pick<ScoresRepository, 'record' | 'forScoring'>;
  events: Pick<EventRecorder, 'record'>;
  workspaceRoot: string;
};

const storedKind = z.enum(SCORER_KINDS);
const regexTest = boundedRegexTest();

/** The part of stored agent settings scoring reads (the rest is the API's to check). */
const storedAgentEvaluation = z.looseObject({ scorers: scorersSchema.optional() });

export function scoreDedupeKey(scoringId: string, scorer: string): string {
  return `score.recorded:${scoringId}:${scorer}`;
}

export async function scoreRun(deps: RunScoringDeps, input: ScoreRunInput, attempt = currentAttempt()): Promise<ScoreRunResult> {
  const run = await deps.runs.getById(input.runId);
  if (!run || run.tenantId !== input.tenantId) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.answerNotFound, message: `run ${input.runId} not found for tenant ${input.tenantId}`, nonRetryable: true });
  }
  const spec = parseStoredRunSpec(run.id, run.spec);
  const scorers = input.scorers ?? (await agentScorers(deps, input.tenantId, spec.agent));
  if (scorers.length === 0) return { scores: [] };

  const already = new Map((await deps.scores.forScoring(input.runId, input.scoringId)).map((row) => [row.scorerName, row]));
  const missing = scorers.filter((scorer) => !already.has(scorerNameOf(scorer)));
  const evidence = transcriptEvidence(await deps.transcripts.loadAfter(input.runId, 0));
  const fileScorers = missing.flatMap((scorer) => (scorer.kind === 'workspace_file' ? [scorer.path] : []));
  const files = await workspaceFiles(deps.workspaceRoot, input.tenantId, input.runId, fileScorers);

  const fresh: NewScore[] = [];
  for (const scorer of missing) {
    const judged = isDeterministic(scorer)
      ? { verdict: scoreDeterministic(scorer, { ...evidence, files }, regexTest) }
      : await judge(deps, scorer, evidence, input.expected, attempt, { tenantId: input.tenantId, runId: input.runId, purpose: MODEL_CALL_PURPOSES.evaluation, detail: `${input.scoringId}:${scorerNameOf(scorer)}` });
    fresh.push({
      runId: input.runId, tenantId: input.tenantId, agent: spec.agent, scoringId: input.scoringId, source: input.source,
      scorerName: judged.verdict.scorer, scorerKind: judged.verdict.kind, score: judged.verdict.score, passed: judged.verdict.passed, reason: judged.verdict.reason,
      ...(judged.judge && { judge: judged.judge }),
    });
  }
  const rows = fresh.length > 0 ? await deps.scores.record(fresh) : [...already.values()];
  const wanted = new Set(scorers.map(scorerNameOf));
  const mine = rows.filter((row) => wanted.has(row.scorerName));
  // Recorded again on a retry: the dedupe keys keep each event single.
  await deps.events.record(input.runId, input.tenantId, mine.map((row) => scoreEvent(row)));
  return { scores: mine.map(verdictOf) };
}

async function agentScorers(deps: Pick<RunScoringDeps, 'agents'>, tenantId: string, agent: { name: string; version: number } | undefined): Promise<Scorer[]> {
  if (!agent) return [];
  const row = await deps.agents.get(tenantId, agent.name, agent.version);
  if (!row) return [];
  return parseStoredRow(storedAgentEvaluation, row.settings, { table: 'agents', id: `${agent.name}@${agent.version}` }).scorers ?? [];
}

type Judged = { verdict: ScoreVerdict; judge?: NewScore['judge'] };

/** The judge's call is in the usage ledger under the run, keyed by scoring and scorer, so a retried scoring counts it once. */
async function judge(deps: CheckModelDeps, scorer: RubricScorer, evidence: TranscriptEvidence, expected: Expected | undefined, attempt: number, attribution: CheckCallAttribution): Promise<Judged> {
  try {
    const asked = await askCheckModel(deps, {
      modelId: scorer.model,
      system: RUBRIC_JUDGE_SYSTEM_PROMPT,
      messages: [{ type: 'user', text: rubricPrompt({ request: evidence.request, answer: evidence.answer, rubric: scorer.rubric, expected }) }],
      maxOutputTokens: RUBRIC_JUDGE_MAX_OUTPUT_TOKENS,
      attribution,
    });
    return {
      verdict: rubricVerdict(scorer, asked.text),
      judge: { model: asked.modelId, inputTokens: asked.usage.inputTokens, outputTokens: asked.usage.outputTokens },
    };
  } catch (error) {
    const final = error instanceof ApplicationFailure && (error.nonRetryable || NON_RETRYABLE_MODEL_FAILURES.some((type) => type === error.type));
    const retryable = !final;
    if (retryable && attempt < SCORING_ATTEMPTS) throw error;
    return { verdict: { scorer: scorerNameOf(scorer), kind: 'rubric', score: 0, passed: false, reason: `the judge ${scorer.model} could not grade the answer: ${failureMessage(error)}` } };
  }
}

function scoreEvent(row: ScoreRow): NewRunEvent {
  return {
    type: RUN_EVENT_TYPES.scoreRecorded,
    data: {
      scorer: row.scorerName, kind: row.scorerKind, score: row.score, passed: row.passed, reason: row.reason,
      scoringId: row.scoringId, source: row.source === 'live' ? 'live' : 'request', ...(row.judgeModel !== null && { judgeModel: row.judgeModel }),
    },
    dedupeKey: scoreDedupeKey(row.scoringId, row.scorerName),
  };
}

function verdictOf(row: ScoreRow): ScoreRunResult['scores'][number] {
  return {
    scorer: row.scorerName, kind: parseStoredRow(storedKind, row.scorerKind, { table: 'scores', id: row.id }), score: row.score, passed: row.passed, reason: row.reason,
    ...(row.judgeModel !== null && { judgeModel: row.judgeModel }),
  };
}

function currentAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return SCORING_ATTEMPTS;
  }
}
