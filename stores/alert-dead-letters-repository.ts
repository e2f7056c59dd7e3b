// Alerts the relay gave up on: one row per route and notification, with what it would have sent.
import { desc } from 'drizzle-orm';
import type { Database } from './database';
import { alertDeadLetters } from './schema';

export type AlertDeadLetter = typeof alertDeadLetters.$inferSelect;
export type NewAlertDeadLetter = Omit<typeof alertDeadLetters.$inferInsert, 'id' | 'createdAt'>;

export class AlertDeadLettersRepository {
  constructor(private readonly db: Database) {}

  async add(letter: NewAlertDeadLetter): Promise<AlertDeadLetter> {
    const [row] = await this.db.insert(alertDeadLetters).values(letter).returning();
    return row!;
  }

  async latest(limit: number): Promise<AlertDeadLetter[]> {
    return this.db.select().from(alertDeadLetters).orderBy(desc(alertDeadLetters.id)).limit(limit);
  }
}
