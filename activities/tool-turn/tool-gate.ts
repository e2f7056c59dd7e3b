// The gate a tool call passes before it runs: refused (invalid arguments, a tool the run lacks,
// critical risk, or a predicted outcome that does not match the request — outcome-check.ts), sent
// to a human (confirm verdicts, or a decision a reviewer already made), or run. Add a check on tool
// calls here.
import { realpathSync } from 'node:fs';
import type { McpToolRisk } from '../../core/mcp-servers';
import { MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';
import { mismatchMessage, type OutcomePrediction, type UserRequest } from '../../core/judgement';
import type { RunPolicy } from '../../core/run-policy';
import { validateToolCall, type RealpathReader, type ToolCallValidation } from '../../core/safety';
import type { ToolResult } from '../../tools/types';
import type { ToolCallPart } from '../../core/messages';
import type { CheckModelDeps } from '../checks/check-model';
import type { RunPolicies } from '../records/run-policies';
import type { StepReviewDecision } from '../contract';
import { checkPredictedOutcome } from './outcome-check';
import type { RunFolders, Workspaces } from './workspaces';

/** The models of the predicted-outcome check, and where the run's folders and policy come from. */
export type ToolGateDeps = CheckModelDeps & { workspaces: Workspaces; policies: RunPolicies };

/** The call and what the gate judges it by. */
export type ToolGateInput = {
  runId: string;
  tenantId: string;
  step: number;
  call: ToolCallPart;
  allowedTools: readonly string[];
  signal?: AbortSignal;
  heartbeat: () => void;
  /** Decisions reviewers made on this step's calls (a resumed step). */
  reviewDecisions?: readonly StepReviewDecision[];
  /** The step's model: predicts outcomes when the policy names no small model. */
  modelId: string;
  /** The user's first and latest messages, which a predicted outcome is checked against. */
  request?: UserRequest;
  /** Set for a declared tool (MCP, HTTP, get_skill): the risk its declaration gives it (Keel cannot judge a foreign tool's arguments). */
  declaredRisk?: McpToolRisk;
};

/** A call that waits for a human: the step stops before it and opens this review. */
export type ToolReviewRequest = { subjectKey: string; summary: string; context: Record<string, unknown> };

const REAL_PATHS: RealpathReader = {
  realpath: (target) => {
    try {
      return realpathSync(target);
    } catch {
      return undefined;
    }
  },
};

type SafetySummary = { verdict: 'allow' | 'confirm' | 'deny'; risk: string; reasons: string[] };

/** The run's folders and policy, looked up once by the gate and used again to run the call. */
export type RunScope = { folders: RunFolders; policy: RunPolicy };

/** What happens to a call before it runs: it runs (with the arguments a reviewer may have edited), is refused, or waits for a human. */
export type ToolGate =
  | { type: 'run'; arguments: Record<string, unknown>; scope: RunScope; safety?: SafetySummary; review?: Record<string, unknown>; prediction?: OutcomePrediction }
  | { type: 'refuse'; result: ToolResult; prediction?: OutcomePrediction }
  | { type: 'review'; review: ToolReviewRequest; prediction?: undefined };

export async function gateToolCall(deps: ToolGateDeps, input: ToolGateInput, key: string): Promise<ToolGate> {
  const { call } = input;
  if (call.rawArguments !== undefined) {
    return refuse(`arguments for ${call.toolName} were not valid JSON: ${call.rawArguments.slice(0, 200)}`);
  }
  if (!input.allowedTools.includes(call.toolName)) {
    return refuse(`tool "${call.toolName}" is not available in this run; available tools: ${input.allowedTools.join(', ')}`);
  }
  const folders = await deps.workspaces.forRun(input.tenantId, input.runId);
  const policy = await deps.policies.forRun(input.tenantId, input.runId);
  const subjectKey = toolReviewSubject(key);
  const decision = input.reviewDecisions?.find((candidate) => candidate.subjectKey === subjectKey);
  const validate = (args: Record<string, unknown>) => input.declaredRisk !== undefined
    ? declaredValidation(call.toolName, input.declaredRisk)
    : validateToolCall({ toolName: call.toolName, arguments: args, workspace: folders.workspace, policy: policy.safety }, REAL_PATHS);
  const summary = ({ verdict, risk, reasons }: SafetySummary): SafetySummary => ({ verdict, risk, reasons });
  const scope: RunScope = { folders, policy };
  const validation = validate(call.arguments);
  const safety = summary(validation);
  // Critical calls (rm -rf /, curl | sh, credential reads...) never run, whoever approves them.
  if (safety.verdict === 'deny') return refuseUnsafe(safety);
  if (!decision) {
    // A human's decision replaces the prediction; without one, a risky or destructive call is predicted first.
    const prediction = await checkPredictedOutcome(deps, {
      toolName: call.toolName, arguments: call.arguments, workspace: folders.workspace, safety: validation, policy,
      stepModelId: input.modelId, request: input.request, signal: input.signal, heartbeat: input.heartbeat,
      attribution: { tenantId: input.tenantId, runId: input.runId, step: input.step, purpose: MODEL_CALL_PURPOSES.prediction, detail: key },
    });
    if (prediction?.verdict === 'mismatch' && input.request) {
      const metadata = { prediction, ...(safety.verdict === 'confirm' ? { safety } : {}) };
      return { type: 'refuse', result: { output: mismatchMessage(prediction, input.request), isError: true, metadata }, prediction };
    }
    // An allowed call runs even when its outcome could not be predicted (flagged in its result):
    // the prediction is an extra check on top of the policy, not a reason to stall the run.
    if (safety.verdict === 'allow') return { type: 'run', arguments: call.arguments, scope, prediction };
    return {
      type: 'review',
      review: {
        subjectKey,
        summary: `${call.toolName} needs approval (${safety.risk} risk): ${safety.reasons[0] ?? 'the policy asks for a human'}`,
        context: { toolName: call.toolName, callId: call.callId, arguments: call.arguments, safety, ...(prediction && { prediction }) },
      },
    };
  }
  const review = { reviewId: decision.reviewId, action: decision.action, decidedBy: decision.decidedBy, ...(decision.reason !== undefined && { reason: decision.reason }) };
  if (decision.action === 'reject') {
    const because = decision.reason ? `: ${decision.reason}` : '';
    return { type: 'refuse', result: { output: `Not run: a reviewer rejected this ${call.toolName} call${because}. Do something else or ask the user.`, isError: true, metadata: { safety, review } } };
  }
  if (decision.action === 'edit' && decision.arguments) {
    // Edited arguments are judged again: a human may approve a risk, never a critical one.
    const edited = summary(validate(decision.arguments));
    if (edited.verdict === 'deny') return refuseUnsafe(edited);
    return { type: 'run', arguments: decision.arguments, scope, safety: edited, review: { ...review, arguments: decision.arguments } };
  }
  return { type: 'run', arguments: call.arguments, scope, safety, review };
}

/** A declared tool's risk as the gate's verdict: safe runs, confirm asks a human, deny refuses. */
function declaredValidation(toolName: string, risk: McpToolRisk): ToolCallValidation {
  if (risk === 'safe') return { verdict: 'allow', risk: 'none', reasons: [], findings: [] };
  const level = risk === 'deny' ? 'critical' : 'medium';
  const detail = risk === 'deny' ? `${toolName} is declared "deny" in the run's tools` : `${toolName} is a declared tool (MCP without a read-only hint, HTTP other than GET, or declared "confirm")`;
  return { verdict: risk, risk: level, reasons: [detail], findings: [{ rule: 'mcp.declared-risk', risk: level, detail }] };
}

function refuse(output: string): ToolGate {
  return { type: 'refuse', result: { output, isError: true } };
}

function refuseUnsafe(safety: SafetySummary): ToolGate {
  return { type: 'refuse', result: { output: `refused by Keel's safety policy (${safety.risk} risk): ${safety.reasons.join('; ')}`, isError: true, metadata: { safety } } };
}

/** The review subject of a tool call: unique in the run, stable across retries. */
export function toolReviewSubject(executionKey: string): string {
  return `tool:${executionKey}`;
}
