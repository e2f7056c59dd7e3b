// Migration 0009 on a ledger written before it (embedded PGlite, the migration files as shipped): a
// step's row keeps counting, now keyed `<run>:<step>:step` with purpose `step` and its run's owner,
// and the ledger then takes calls outside any run, each key once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';

const MIGRATIONS = path.join(__dirname, '../../../stores/migrations');
const journal = z.object({ entries: z.array(z.object({ tag: z.string() })) }).parse(JSON.parse(readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')));

async function apply(database: PGlite, tag: string): Promise<void> {
  const statements = readFileSync(path.join(MIGRATIONS, `${tag}.sql`), 'utf8').split('--> statement-breakpoint');
  for (const statement of statements) if (statement.trim()) await database.exec(statement);
}

describe('migration 0009 (usage purposes)', () => {
  it('keys, attributes and keeps the rows a ledger had before it, then takes rows outside any run once each', async () => {
    const database = await PGlite.create('memory://');
    try {
      const tags = journal.entries.map((entry) => entry.tag);
      const index = tags.indexOf('0009_usage_purposes');
      // The database as it stood before 0009 (later migrations are not this test's business).
      expect(index).toBeGreaterThan(0);
      for (const tag of tags.slice(0, index)) await apply(database, tag);
      await database.exec(`
        INSERT INTO tenants (id, name) VALUES ('t1', 'Tenant');
        INSERT INTO runs (id, tenant_id, user_id, status, spec) VALUES ('run_1', 't1', 'alice', 'completed', '{}');
        INSERT INTO model_usage (run_id, step, tenant_id, model, input_tokens, output_tokens, cost_usd) VALUES ('run_1', 1, 't1', 'cheap', 100, 20, 0.5), ('run_1', 2, 't1', 'cheap', 120, 10, 0.25);
      `);
      await apply(database, tags[index]!);

      const kept = await database.query<{ usage_key: string; purpose: string; user_id: string | null; cost_usd: number }>('SELECT usage_key, purpose, user_id, cost_usd FROM model_usage ORDER BY step');
      expect(kept.rows).toEqual([
        { usage_key: 'run_1:1:step', purpose: 'step', user_id: 'alice', cost_usd: 0.5 },
        { usage_key: 'run_1:2:step', purpose: 'step', user_id: 'alice', cost_usd: 0.25 },
      ]);
      const health = `INSERT INTO model_usage (usage_key, tenant_id, purpose, model, input_tokens, output_tokens) VALUES ('health:cheap:w:r:1', 'platform', 'health', 'cheap', 5, 1) ON CONFLICT DO NOTHING RETURNING usage_key`;
      expect((await database.query(health)).rows).toHaveLength(1);
      expect((await database.query(health)).rows).toHaveLength(0);
      const sums = await database.query<{ purpose: string; calls: number }>('SELECT purpose, count(*)::int AS calls FROM model_usage GROUP BY purpose ORDER BY purpose');
      expect(sums.rows).toEqual([{ purpose: 'health', calls: 1 }, { purpose: 'step', calls: 2 }]);
    } finally {
      await database.close();
    }
  });
});
