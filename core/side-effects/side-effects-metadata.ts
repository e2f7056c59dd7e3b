// The `sideEffects` field of a checked tool call's result metadata (and of its events): what the
// review flow reads back from a recorded result, so it is validated like any other edge.
import { z } from 'zod';
import { SIDE_EFFECT_ACTIONS } from '../run-policy';

const pathList = z.array(z.string());
const counts = z.object({ created: z.number(), modified: z.number(), deleted: z.number() });

export const sideEffectsMetadataSchema = z.object({
  action: z.enum(['none', ...SIDE_EFFECT_ACTIONS]),
  /** Unexpected changes, at most MAX_LISTED_PATHS each (`counts` are exact; `listsTruncated` says when cut). */
  created: pathList,
  modified: pathList,
  deleted: pathList,
  counts,
  listsTruncated: z.boolean(),
  /** The snapshot walk hit its entry cap: later paths were not checked. */
  snapshotIncomplete: z.string().optional(),
  /** A rollback the policy asked for became a report (background jobs were running). */
  rollbackSkipped: z.string().optional(),
  /** `review` only: pass it to rollbackSideEffects when the human rejects the changes. */
  snapshotRef: z.string().optional(),
  /** `rollback` only: what was put back. */
  rollback: z.object({
    restored: pathList,
    removed: pathList,
    failed: z.array(z.object({ path: z.string(), reason: z.string() })),
    counts: z.object({ restored: z.number(), removed: z.number(), failed: z.number() }),
  }).optional(),
});
export type SideEffectsMetadata = z.infer<typeof sideEffectsMetadataSchema>;
