// What a run does with a final answer before it completes, by policy: self-reflection (a low
// confidence or a contradiction earns another pass or a human) and, for critical runs,
// cross-model validation (disagreement goes to a human with every answer). A rejected answer sends
// the run back to work with the reviewer's reason. Deterministic: the checks are activities.
import { ActivityFailure, isCancellation } from '@temporalio/workflow';
import type { CrossValidateInput, CrossValidationResult, ReflectInput, ReflectionResult, StepOutput } from '../activities/contract';
import type { ReviewDecision } from '../core/review';
import type { AgentRunInput, PendingMessage } from '../core/run-input';
import type { RunPolicy } from '../core/run-policy';
import type { ReviewSubject } from './review-desk';
import { errorMessage } from '../core/error-message';

type CheckActivities = {
  reflectOnAnswer(input: ReflectInput): Promise<ReflectionResult>;
  crossValidate(input: CrossValidateInput): Promise<CrossValidationResult>;
};

/** `complete`: the answer stands. `revise`: the run takes another step with this message. */
export type AnswerVerdict = { kind: 'complete' } | { kind: 'revise'; message: PendingMessage };

export class AnswerChecks {
  private reflectionPasses = 0;

  constructor(
    private readonly input: AgentRunInput,
    private readonly policy: RunPolicy,
    private readonly activities: CheckActivities,
    private readonly review: (subject: ReviewSubject) => Promise<ReviewDecision>,
  ) {}

  get enabled(): boolean {
    return this.policy.reflection.enabled || this.policy.critical;
  }

  async check(step: number, output: StepOutput): Promise<AnswerVerdict> {
    if (this.policy.reflection.enabled) {
      const verdict = await this.reflect(step, output);
      if (verdict.kind === 'revise') return verdict;
    }
    if (this.policy.critical) return this.crossValidate(step, output);
    return { kind: 'complete' };
  }

  private async reflect(step: number, output: StepOutput): Promise<AnswerVerdict> {
    const { reflection: settings, smallModel } = this.policy;
    let reflection: ReflectionResult;
    try {
      reflection = await this.activities.reflectOnAnswer({ runId: this.input.runId, tenantId: this.input.tenantId, step, modelId: smallModel ?? output.modelId });
    } catch (error) {
      if (isCancellation(error)) throw error;
      // An answer nobody could reflect on is doubtful: a human decides.
      const message = failureMessage(error);
      return this.askHuman({ kind: 'reflection', subjectKey: `reflection:${step}`, step, summary: `the final answer could not be reflected on: ${message}`, context: { answer: output.answerPreview ?? '', error: message } });
    }
    if (!reflection.belowThreshold && !reflection.contradiction) return { kind: 'complete' };
    const doubt = `confidence ${reflection.confidence}/100 (threshold ${settings.threshold})${reflection.contradiction ? `; contradicts an earlier answer: ${reflection.contradiction}` : ''}`;
    if (settings.onLowConfidence === 'retry' && this.reflectionPasses < settings.maxPasses) {
      this.reflectionPasses += 1;
      return revise(`reflection-${step}`, `Before you finish, check your answer again: your self-assessed ${doubt}. Your reasoning was: ${reflection.reasoning}. Verify with the tools and give a corrected final answer.`);
    }
    return this.askHuman({
      kind: 'reflection', subjectKey: `reflection:${step}`, step,
      summary: `the final answer has ${doubt}`,
      context: { answer: output.answerPreview ?? '', confidence: reflection.confidence, threshold: settings.threshold, reasoning: reflection.reasoning, contradiction: reflection.contradiction, model: reflection.model },
    });
  }

  private async crossValidate(step: number, output: StepOutput): Promise<AnswerVerdict> {
    const configured = this.policy.crossValidation.models;
    const models = configured.length > 0 ? configured : this.input.models;
    let result: CrossValidationResult;
    try {
      result = await this.activities.crossValidate({ runId: this.input.runId, tenantId: this.input.tenantId, step, models, judgeModel: this.policy.crossValidation.judgeModel });
    } catch (error) {
      if (isCancellation(error)) throw error;
      // A critical answer nobody could cross-check goes to a human rather than through unchecked.
      const message = failureMessage(error);
      return this.askHuman({
        kind: 'cross-validation', subjectKey: `cross-validation:${step}`, step,
        summary: `the critical answer could not be cross-validated: ${message}`,
        context: { answer: output.answerPreview ?? '', error: message, models },
      });
    }
    if (result.agreed) return { kind: 'complete' };
    return this.askHuman({
      kind: 'cross-validation', subjectKey: `cross-validation:${step}`, step,
      summary: `${result.answers.length} models disagree on the critical answer`,
      context: { answer: output.answerPreview ?? '', answers: result.answers, method: result.method, judgement: result.judgement },
    });
  }

  private async askHuman(subject: ReviewSubject): Promise<AnswerVerdict> {
    const decision = await this.review(subject);
    if (decision.action !== 'reject') return { kind: 'complete' };
    const because = decision.reason ? `: ${decision.reason}` : '; reconsider it';
    return revise(`review-${decision.reviewId}`, `A reviewer (${decision.decidedBy}) rejected your answer${because}. Work on it and give a new final answer.`);
  }
}

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return errorMessage(cause);
}

function revise(id: string, text: string): AnswerVerdict {
  return { kind: 'revise', message: { id, text } };
}
