// A tenant's skills: one row per name, replaced in place by PUT (a run reads the body when it calls
// get_skill, and that result is recorded, so an edit never changes a call already made).
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Skill } from '../core/skills';
import type { Database } from './database';
import { skills } from './schema';

export type SkillRow = typeof skills.$inferSelect;

export class SkillsRepository {
  constructor(private readonly db: Database) {}

  /** Creates or replaces the skill; `created` tells which. */
  async put(tenantId: string, skill: Skill, updatedBy: string): Promise<{ row: SkillRow; created: boolean }> {
    const [row] = await this.db.insert(skills)
      .values({ tenantId, ...skill, updatedBy })
      .onConflictDoUpdate({
        target: [skills.tenantId, skills.name],
        set: { description: skill.description, body: skill.body, updatedBy, updatedAt: new Date() },
      })
      // xmax is 0 only for a freshly inserted row.
      .returning({ ...getTableColumns(skills), inserted: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error(`skill ${skill.name}: the upsert returned no row`);
    const { inserted, ...stored } = row;
    return { row: stored, created: inserted };
  }

  async get(tenantId: string, name: string): Promise<SkillRow | undefined> {
    const rows = await this.db.select().from(skills).where(and(eq(skills.tenantId, tenantId), eq(skills.name, name)));
    return rows[0];
  }

  /** The tenant's skills by name, without bodies. */
  async list(tenantId: string): Promise<Array<Pick<SkillRow, 'name' | 'description' | 'updatedAt'>>> {
    return this.db.select({ name: skills.name, description: skills.description, updatedAt: skills.updatedAt })
      .from(skills).where(eq(skills.tenantId, tenantId)).orderBy(asc(skills.name));
  }

  async some(tenantId: string, names: readonly string[]): Promise<Array<Pick<SkillRow, 'name' | 'description'>>> {
    if (names.length === 0) return [];
    return this.db.select({ name: skills.name, description: skills.description }).from(skills)
      .where(and(eq(skills.tenantId, tenantId), inArray(skills.name, [...names])));
  }

  /** True when there was such a skill. */
  async delete(tenantId: string, name: string): Promise<boolean> {
    const deleted = await this.db.delete(skills).where(and(eq(skills.tenantId, tenantId), eq(skills.name, name))).returning({ name: skills.name });
    return deleted.length > 0;
  }
}
