// Stored token calibrations (core/context/token-calibration.ts), one row per model: read once per
// worker, written after calls off the critical path. The last writer wins; every worker converges
// on the same ratio because they learn from the same providers.
import { sql } from 'drizzle-orm';
import type { TokenCalibrationState } from '../core/context';
import type { Database } from './database';
import { tokenCalibrations } from './schema';

export class TokenCalibrationsRepository {
  constructor(private readonly db: Database) {}

  async load(): Promise<TokenCalibrationState> {
    const rows = await this.db.select().from(tokenCalibrations);
    return { models: Object.fromEntries(rows.map((row) => [row.model, { ratio: row.ratio, samples: row.samples }])) };
  }

  async save(model: string, ratio: number, samples: number): Promise<void> {
    await this.db.insert(tokenCalibrations).values({ model, ratio, samples })
      .onConflictDoUpdate({ target: tokenCalibrations.model, set: { ratio, samples, updatedAt: sql`now()` } });
  }
}
