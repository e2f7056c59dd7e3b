// What POST /v1/runs/:id/fork does apart from HTTP: checks the step and the workspace snapshot the
// fork needs, records the fork with its origin (its transcript is read by reference from the
// parent's rows, see stores/transcript-repository.ts) and starts it at step k + 1 through the
// workflow's carried state, so its history holds none of the parent's messages.
import { ulid } from 'ulid';
import { mayReach } from '../core/access';
import { ZERO_USAGE } from '../core/messages';
import { forkPointOf, isForkPointProblem, type ForkPoint } from '../core/run-fork';
import type { AgentRunInput } from '../core/run-input';
import { parseStoredRunSpec } from '../core/run-input-schema';
import type { RunPolicyInput } from '../core/run-policy';
import type { ModelCatalog } from '../core/model-catalog';
import { resolveComplexity } from '../core/model-pool';
import { skillsPromptSection } from '../core/skills';
import type { Principal } from '../stores/tenants-repository';
import type { RunRow, RunsRepository } from '../stores/runs-repository';
import type { StepSnapshotsRepository } from '../stores/step-snapshots-repository';
import type { TranscriptRepository } from '../stores/transcript-repository';
import type { ForkRunBody } from './fork-schemas';
import { HttpError, notFound } from './http-error';
import type { RunService } from './run-service';
import type { SkillService } from './skill-service';

export type RunForkServiceDeps = {
  runService: Pick<RunService, 'get' | 'start' | 'policyOf' | 'assertPolicyModelsKnown'>;
  runs: Pick<RunsRepository, 'create' | 'get' | 'findByIdempotencyKey'>;
  transcripts: Pick<TranscriptRepository, 'loadAfter'>;
  stepSnapshots: Pick<StepSnapshotsRepository, 'get'>;
  catalog: ModelCatalog;
  skills?: Pick<SkillService, 'forRun'>;
  admit?: (principal: Principal) => Promise<void>;
};

export class RunForkService {
  constructor(private readonly deps: RunForkServiceDeps) {}

  /** `created` false: the Idempotency-Key named a fork made before, which is returned (and started if its start failed). */
  async fork(principal: Principal, parentId: string, body: ForkRunBody, idempotencyKey?: string, requestId?: string): Promise<{ row: RunRow; created: boolean }> {
    // Forking continues the parent's work with its files: the caller must be able to control it.
    const parent = await this.deps.runService.get(principal, parentId);
    if (!mayReach(principal, parent.userId, 'runs:control:all')) throw notFound('run', parentId);
    const earlier = idempotencyKey === undefined ? undefined : await this.deps.runs.findByIdempotencyKey(principal.tenantId, idempotencyKey);
    if (earlier) return { row: await this.startIfQueued(earlier, requestId), created: false };
    const spec = parseStoredRunSpec(parent.id, parent.spec);
    const { point, firstMessage } = await this.forkPoint(parent.id, body);
    await this.assertWorkspaceKept(principal, parent.id, point);
    const input = this.forkInput(principal, spec, point, body, firstMessage);
    const instructions = body.overrides?.instructions === undefined ? undefined : await this.withSkills(principal, body.overrides.instructions, spec.skills);
    await this.deps.admit?.(principal);
    const { row, created } = await this.deps.runs.create({
      id: input.runId, tenantId: principal.tenantId, userId: principal.userId, spec: input, idempotencyKey,
      fork: { parentRunId: parent.id, fromStep: point.fromStep, throughSeq: point.throughSeq, ...(instructions !== undefined && { instructions }) },
    });
    // A concurrent request with the same key won the insert: its fork is the answer.
    if (!created) return { row: await this.startIfQueued(row, requestId), created: false };
    await this.deps.runService.start(input, requestId);
    return { row: (await this.deps.runs.get(principal.tenantId, row.id)) ?? row, created: true };
  }

  private async startIfQueued(row: RunRow, requestId: string | undefined): Promise<RunRow> {
    if (row.status === 'queued') await this.deps.runService.start(parseStoredRunSpec(row.id, row.spec), requestId);
    return (await this.deps.runs.get(row.tenantId, row.id)) ?? row;
  }

  /**
   * Step k of the parent, complete; a fork from a step that ended with an answer needs a new
   * message. With it, the parent's first user message (a pooled `auto` run's complexity is read from it).
   */
  private async forkPoint(parentId: string, body: ForkRunBody): Promise<{ point: ForkPoint; firstMessage: string }> {
    const entries = await this.deps.transcripts.loadAfter(parentId, 0);
    const point = forkPointOf(parentId, entries, body.fromStep);
    if (isForkPointProblem(point)) throw new HttpError(400, point.code, point.message, { field: 'fromStep', fromStep: body.fromStep, lastStep: point.lastStep });
    if (point.endedWithAnswer && body.message === undefined) {
      throw new HttpError(400, 'message_required', `step ${body.fromStep} of run ${parentId} ended with a final answer; give the fork a "message" to continue from it`, { field: 'message' });
    }
    const first = entries.find((entry) => entry.sourceKey === 'user:first')?.message;
    return { point, firstMessage: first?.type === 'user' ? first.text : '' };
  }

  /** The files as they were at step k must be restorable: a fork without them would act on the wrong workspace. */
  private async assertWorkspaceKept(principal: Principal, parentId: string, point: ForkPoint): Promise<void> {
    if (!point.workspaceStep) return;
    const { runId, step } = point.workspaceStep;
    const snapshot = await this.deps.stepSnapshots.get(principal.tenantId, runId, step);
    const where = runId === parentId ? `step ${step}` : `step ${step} (of ancestor run ${runId})`;
    if (!snapshot) {
      throw new HttpError(409, 'no_workspace_snapshot', `run ${parentId} kept no workspace snapshot at ${where}, the last step up to ${point.fromStep} that changed files (its policy had stepSnapshots off, or it ran before step snapshots existed), so its files at step ${point.fromStep} cannot be restored`, { runId, step, fromStep: point.fromStep });
    }
    if (snapshot.truncated || snapshot.unrestorable.length > 0) {
      const why = snapshot.truncated ? 'the workspace had more entries than a snapshot walks' : `the content of ${snapshot.unrestorable.join(', ')} was over the snapshot size cap and was not kept`;
      throw new HttpError(409, 'workspace_not_restorable', `the workspace snapshot of run ${parentId} at ${where} cannot be restored: ${why}`, { runId, step, fromStep: point.fromStep, truncated: snapshot.truncated, unrestorable: snapshot.unrestorable });
    }
  }

  /**
   * The parent's input with the overrides, starting as if continued at step k. `instructions` and
   * `firstMessage` stay empty: the transcript already holds them, and the history should not.
   */
  private forkInput(principal: Principal, spec: AgentRunInput, point: ForkPoint, body: ForkRunBody, firstMessage: string): AgentRunInput {
    const { carried: _carried, complexity, ...inherited } = spec;
    const overrides = body.overrides ?? {};
    if (overrides.model && overrides.models) throw new HttpError(400, 'invalid_request', 'give either "overrides.model" or "overrides.models", not both', { fields: ['overrides.model', 'overrides.models'] });
    const named = overrides.models ?? (overrides.model ? [overrides.model] : undefined);
    const unknown = (named ?? []).filter((id) => !this.deps.catalog.has(id));
    if (unknown.length > 0) {
      throw new HttpError(400, 'unknown_model', `unknown model ${unknown.map((id) => `"${id}"`).join(', ')}; see GET /v1/models`, { field: overrides.models ? 'overrides.models' : 'overrides.model', known: this.deps.catalog.ids() });
    }
    // A pooled parent keeps routing at the level it resolved from its first message (the fork's input has none to classify).
    const pooled = named === undefined && complexity !== undefined ? { complexity, resolved: resolveComplexity(complexity, firstMessage, spec.tools.length).complexity } : undefined;
    const policy = this.deps.runService.policyOf(spec.policy, overrides.policy as RunPolicyInput | undefined);
    this.deps.runService.assertPolicyModelsKnown(policy);
    return {
      ...inherited,
      runId: `run_${ulid()}`,
      tenantId: principal.tenantId,
      userId: principal.userId,
      instructions: '',
      firstMessage: '',
      models: named ?? spec.models,
      ...(pooled && { complexity: pooled.complexity }),
      limits: { ...spec.limits, ...overrides.limits },
      policy,
      carried: {
        step: point.fromStep,
        usage: ZERO_USAGE,
        transcriptSeq: point.throughSeq,
        pendingMessages: body.message === undefined ? [] : [{ id: ulid(), text: body.message }],
        continuedRuns: 0,
        ...(pooled && { complexity: pooled.resolved }),
      },
    };
  }

  /** A replacement system prompt keeps listing the run's skills, as the parent's did. */
  private async withSkills(principal: Principal, instructions: string, named: readonly string[] | undefined): Promise<string> {
    if (!named || named.length === 0 || !this.deps.skills) return instructions;
    const skills = await this.deps.skills.forRun(principal.tenantId, named);
    return skills.length === 0 ? instructions : `${instructions}\n\n${skillsPromptSection(skills)}`;
  }
}
