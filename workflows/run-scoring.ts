// Scores a finished run on request (POST /v1/runs/:id/scores): one scoreRun activity on a worker,
// which has the run's workspace and the judge models. Its own workflow (id `score:<run>:<scoring>`),
// so agentRun's histories are untouched and a scoring survives an API restart. Deterministic.
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import type { ScoreRunInput, ScoreRunResult } from '../activities/contract';
import { SCORING_RETRY } from '../core/retry-policies';

type Activities = ReturnType<typeof createActivities>;

export async function runScoring(input: ScoreRunInput): Promise<ScoreRunResult> {
  const { scoreRun } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: SCORING_RETRY });
  return scoreRun(input);
}
