// Data of the review family: a run waits for a human, a human decided, or the escalation did.
import { z } from 'zod';
import { REVIEW_ACTIONS, REVIEW_KINDS, REVIEW_STATUSES } from '../review';
import { stepField } from './event-fields';
import { RUN_EVENT_TYPES } from './event-types';

const review = { reviewId: z.string(), kind: z.enum(REVIEW_KINDS), step: stepField };

export const reviewRequestedData = z.looseObject({
  ...review,
  summary: z.string(),
  /** ISO 8601. */
  expiresAt: z.string(),
  /** What the reviewer is shown; its shape depends on `kind`. */
  context: z.record(z.string(), z.unknown()),
});

export const reviewDecidedData = z.looseObject({
  ...review,
  action: z.enum(REVIEW_ACTIONS),
  status: z.enum(REVIEW_STATUSES),
  decidedBy: z.string(),
  reason: z.string().optional(),
});

export const reviewExpiredData = z.looseObject({
  ...review,
  /** The policy's escalation: what was decided for nobody. */
  action: z.enum(REVIEW_ACTIONS),
  reason: z.string(),
});

export const REVIEW_EVENT_DATA = {
  [RUN_EVENT_TYPES.reviewRequested]: reviewRequestedData,
  [RUN_EVENT_TYPES.reviewDecided]: reviewDecidedData,
  [RUN_EVENT_TYPES.reviewExpired]: reviewExpiredData,
} as const;
