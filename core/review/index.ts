// Human review shapes shared by the workflow, activities and API.
export {
  REVIEW_ACTIONS,
  REVIEW_KINDS,
  REVIEW_STATUSES,
  RUN_ENDED_ACTOR,
  statusOf,
  TIMEOUT_ACTOR,
  type PendingReview,
  type ReviewAction,
  type ReviewDecision,
  type ReviewKind,
  type ReviewRequest,
  type ReviewStatus,
} from './review-types';
