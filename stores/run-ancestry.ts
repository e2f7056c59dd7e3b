// The recursive `chain` CTE of a run and its fork ancestry (runs.parent_run_id): each member with
// the highest transcript seq and step it lends the run, so a fork reads its parents' transcript rows
// and tool outputs by reference, never past the point each fork took.
import { sql, type SQL } from 'drizzle-orm';

/** Forks of forks are followed this deep; a deeper chain is cut there (its rows would be missing, not wrong). */
export const MAX_FORK_DEPTH = 100;

/**
 * `WITH RECURSIVE chain(id, tenant_id, fork_instructions, upto_seq, upto_step, depth)`: depth 0 is
 * the run itself (everything of its own); an ancestor lends rows up to the smallest seq (step) a
 * descendant on the way forked at. Ancestors must be of the same tenant.
 */
export function runAncestry(runId: string, tenantId?: string): SQL {
  const tenantFilter = tenantId === undefined ? sql`` : sql`AND tenant_id = ${tenantId}`;
  return sql`WITH RECURSIVE chain AS (
    SELECT id, tenant_id, parent_run_id, forked_through_seq, forked_from_step, fork_instructions,
           2147483647 AS upto_seq, 2147483647 AS upto_step, 0 AS depth
    FROM runs WHERE id = ${runId} ${tenantFilter}
    UNION ALL
    SELECT parent.id, parent.tenant_id, parent.parent_run_id, parent.forked_through_seq, parent.forked_from_step, parent.fork_instructions,
           least(child.upto_seq, child.forked_through_seq), least(child.upto_step, child.forked_from_step), child.depth + 1
    FROM runs parent JOIN chain child ON parent.id = child.parent_run_id AND parent.tenant_id = child.tenant_id
    WHERE child.depth < ${MAX_FORK_DEPTH}
  )`;
}
