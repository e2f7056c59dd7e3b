// The predicted-outcome check in a step: for a confirm-level or destructive call, when the run's
// policy asks for it, the small model (else the step's model) predicts what the call does and the
// answer is checked against the user's request (core/judgement). It runs inside the keyed tool
// execution, so a retried step returns the recorded result and never asks twice for a finished call.
import { statSync } from 'node:fs';
import {
  classifyDestructiveCall,
  decidePrediction,
  PREDICTION_MAX_OUTPUT_TOKENS,
  PREDICTION_SYSTEM_PROMPT,
  predictionPrompt,
  unverifiedPrediction,
  type FileKindReader,
  type OutcomePrediction,
  type UserRequest,
} from '../../core/judgement';
import type { RunPolicy } from '../../core/run-policy';
import type { ToolCallValidation } from '../../core/safety';
import { askCheckModel, failureMessage, type CheckCallAttribution, type CheckModelDeps } from '../checks/check-model';
import { UsageNotRecorded } from '../records/usage-ledger';

const FILE_KINDS: FileKindReader = {
  kind: (target) => {
    try {
      const stats = statSync(target);
      return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
    } catch {
      return undefined;
    }
  },
};

export type OutcomeCheckInput = {
  toolName: string;
  arguments: Record<string, unknown>;
  workspace: string;
  safety: ToolCallValidation;
  policy: Pick<RunPolicy, 'outcomePrediction' | 'smallModel'>;
  /** The step's model: predicts when the policy names no small model. */
  stepModelId: string;
  /** Undefined when the transcript has no user message (nothing to compare with: no check). */
  request: UserRequest | undefined;
  signal?: AbortSignal;
  /** Called while the model thinks, so a slow prediction does not look like a dead worker. */
  heartbeat?: () => void;
  /** The call's place in the usage ledger (purpose `prediction`, the tool call's execution key). */
  attribution: CheckCallAttribution;
};

const PREDICTION_HEARTBEAT_MS = 5_000;

/** The prediction, or undefined when the call needs none (allowed and not destructive, or the policy is off). */
export async function checkPredictedOutcome(deps: CheckModelDeps, input: OutcomeCheckInput): Promise<OutcomePrediction | undefined> {
  if (!input.policy.outcomePrediction || !input.request) return undefined;
  const destructive = classifyDestructiveCall({ toolName: input.toolName, arguments: input.arguments, workspace: input.workspace, findings: input.safety.findings }, FILE_KINDS);
  const confirm = input.safety.verdict === 'confirm';
  if (!confirm && !destructive.destructive) return undefined;
  const trigger = { confirm, destructive: destructive.reasons };
  const modelId = input.policy.smallModel ?? input.stepModelId;
  let answer: string;
  const beating = input.heartbeat ? setInterval(input.heartbeat, PREDICTION_HEARTBEAT_MS) : undefined;
  try {
    const prompt = predictionPrompt({ request: input.request, toolName: input.toolName, arguments: input.arguments, destructiveReasons: destructive.reasons, safetyReasons: input.safety.reasons });
    answer = (await askCheckModel(deps, {
      modelId, system: PREDICTION_SYSTEM_PROMPT, messages: [{ type: 'user', text: prompt }], maxOutputTokens: PREDICTION_MAX_OUTPUT_TOKENS, signal: input.signal,
      attribution: input.attribution,
    })).text;
  } catch (failure) {
    if (input.signal?.aborted || failure instanceof UsageNotRecorded) throw failure;
    return unverifiedPrediction(modelId, trigger, `the prediction model failed: ${failureMessage(failure)}`);
  } finally {
    clearInterval(beating);
  }
  return decidePrediction({ model: modelId, trigger, request: input.request, answerText: answer });
}
