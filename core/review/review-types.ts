// Human review: what a run can wait for, the decisions a reviewer gives, and the shapes the
// workflow, activities and API share. Pure data, JSON-serialisable (it crosses Temporal).

export const REVIEW_KINDS = ['tool-call', 'side-effects', 'correction', 'reflection', 'cross-validation'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** `closed`: the run ended (cancelled, failed) before anyone decided. */
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected', 'timed_out', 'closed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** approve; reject (with reason); edit = approve a tool call with edited arguments. */
export const REVIEW_ACTIONS = ['approve', 'reject', 'edit'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export type ReviewDecision = {
  reviewId: string;
  action: ReviewAction;
  reason?: string;
  /** Only with `edit`: the arguments the tool call runs with instead. */
  arguments?: Record<string, unknown>;
  /** A user id, or `system:timeout` when the escalation policy decided. */
  decidedBy: string;
};

/** A review the run waits for, as the workflow holds it (the full context is in storage). */
export type PendingReview = {
  reviewId: string;
  kind: ReviewKind;
  step: number;
  subjectKey: string;
  /** One line for the run's state query. */
  summary: string;
  expiresAt: string;
};

/** What opening a review needs: the subject (unique in the run) and what the reviewer should see. */
export type ReviewRequest = {
  runId: string;
  tenantId: string;
  userId: string;
  kind: ReviewKind;
  subjectKey: string;
  step: number;
  summary: string;
  context: Record<string, unknown>;
  timeoutSeconds: number;
};

export const TIMEOUT_ACTOR = 'system:timeout';
/** Closes the reviews of a run that ended while they were pending. */
export const RUN_ENDED_ACTOR = 'system:run-ended';

export function statusOf(action: ReviewAction): Exclude<ReviewStatus, 'pending' | 'timed_out' | 'closed'> {
  return action === 'reject' ? 'rejected' : 'approved';
}
