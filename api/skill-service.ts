// What the skill routes do, apart from HTTP: a tenant's skills saved, read, listed and deleted, and
// the skills a new run lists in its system prompt (the tenant's and KEEL_SKILLS_DIR's, tenant first).
import { MAX_RUN_SKILLS, parseSkillMarkdown, SkillInvalid, type Skill, type SkillSummary } from '../core/skills';
import type { SkillFolders } from '../stores/skill-folders';
import type { SkillRow, SkillsRepository } from '../stores/skills-repository';
import type { Principal } from '../stores/tenants-repository';
import { HttpError, notFound } from './http-error';
import type { PutSkillBody } from './skill-schemas';

export type SkillServiceDeps = { skills: SkillsRepository; folders: SkillFolders };

export type StoredSkill = Skill & { source: SkillSummary['source']; updatedAt: Date | null };

export class SkillService {
  constructor(private readonly deps: SkillServiceDeps) {}

  async put(principal: Principal, name: string, body: PutSkillBody): Promise<{ skill: StoredSkill; created: boolean }> {
    const skill = this.skillOf(name, body);
    const { row, created } = await this.deps.skills.put(principal.tenantId, skill, principal.userId);
    return { skill: fromRow(row), created };
  }

  async get(principal: Principal, name: string): Promise<StoredSkill> {
    const row = await this.deps.skills.get(principal.tenantId, name);
    if (row) return fromRow(row);
    const folder = await this.deps.folders.get(name).catch(() => undefined);
    if (folder) return { ...folder, source: 'directory', updatedAt: null };
    throw notFound('skill', name);
  }

  /** The tenant's skills, then the directory's that it does not shadow, by name. */
  async list(principal: Pick<Principal, 'tenantId'>): Promise<Array<SkillSummary & { updatedAt: Date | null }>> {
    const own = await this.deps.skills.list(principal.tenantId);
    const names = new Set(own.map((skill) => skill.name));
    const { skills: shared } = await this.deps.folders.list();
    return [
      ...own.map((skill) => ({ name: skill.name, description: skill.description, source: 'tenant' as const, updatedAt: skill.updatedAt })),
      ...shared.filter((skill) => !names.has(skill.name)).map((skill) => ({ name: skill.name, description: skill.description, source: 'directory' as const, updatedAt: null })),
    ].sort((first, second) => first.name.localeCompare(second.name));
  }

  /** Deletes the tenant's skill (a directory skill cannot be deleted over the API). */
  async delete(principal: Principal, name: string): Promise<void> {
    if (await this.deps.skills.delete(principal.tenantId, name)) return;
    if (await this.deps.folders.get(name).catch(() => undefined)) {
      throw new HttpError(409, 'skill_read_only', `skill ${name} comes from KEEL_SKILLS_DIR; remove its folder there`, { field: 'name' });
    }
    throw notFound('skill', name);
  }

  /**
   * The skills a run lists: the named ones (each must exist: a 400 naming `skills.N`), or, when the
   * run names none, every skill the tenant can use (at most MAX_RUN_SKILLS).
   */
  async forRun(tenantId: string, named: readonly string[] | undefined): Promise<SkillSummary[]> {
    if (named?.length === 0) return [];
    const all = await this.list({ tenantId });
    if (named === undefined) return all.slice(0, MAX_RUN_SKILLS).map(({ name, description, source }) => ({ name, description, source }));
    const byName = new Map(all.map((skill) => [skill.name, skill]));
    return [...new Set(named)].map((name) => {
      const skill = byName.get(name);
      if (!skill) {
        throw new HttpError(400, 'unknown_skill', `unknown skill "${name}"; see GET /v1/skills`, { field: `skills.${named.indexOf(name)}`, known: [...byName.keys()] });
      }
      return { name, description: skill.description, source: skill.source };
    });
  }

  private skillOf(name: string, body: PutSkillBody): Skill {
    if (body.markdown !== undefined) {
      if (body.description !== undefined || body.body !== undefined) {
        throw new HttpError(400, 'invalid_request', 'give either "markdown" or "description" and "body", not both', { fields: ['markdown', body.description === undefined ? 'body' : 'description'] });
      }
      try {
        return parseSkillMarkdown(body.markdown, name);
      } catch (error) {
        if (error instanceof SkillInvalid) throw new HttpError(400, 'invalid_skill', error.message, { field: `body.${error.field}` });
        throw error;
      }
    }
    if (body.description === undefined || body.body === undefined) {
      const missing = body.description === undefined ? 'description' : 'body';
      throw new HttpError(400, 'invalid_request', `give "markdown", or both "description" and "body" ("${missing}" is missing)`, { field: `body.${missing}` });
    }
    return { name, description: body.description, body: body.body };
  }
}

function fromRow(row: SkillRow): StoredSkill {
  return { name: row.name, description: row.description, body: row.body, source: 'tenant', updatedAt: row.updatedAt };
}
