// Skills read from KEEL_SKILLS_DIR: each folder `<dir>/<name>/SKILL.md` is a skill every tenant may
// use (a tenant's own skill of the same name wins). Read when asked, so edits show without a restart.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_SKILL_CHARS, parseSkillMarkdown, SKILL_FILE, SKILL_NAME_PATTERN, type Skill } from '../core/skills';

export type SkillFolderProblem = { folder: string; message: string };

export class SkillFolders {
  constructor(private readonly directory: string | undefined) {}

  /** Every valid skill of the folder, by name; folders that do not parse are reported, not fatal. */
  async list(): Promise<{ skills: Skill[]; problems: SkillFolderProblem[] }> {
    if (!this.directory) return { skills: [], problems: [] };
    let entries;
    try {
      entries = await readdir(this.directory, { withFileTypes: true });
    } catch (error) {
      return { skills: [], problems: [{ folder: this.directory, message: (error as Error).message }] };
    }
    const names = entries.filter((entry) => entry.isDirectory() && SKILL_NAME_PATTERN.test(entry.name)).map((entry) => entry.name).sort();
    const skills: Skill[] = [];
    const problems: SkillFolderProblem[] = [];
    for (const name of names) {
      try {
        const skill = await this.get(name);
        if (skill) skills.push(skill);
      } catch (error) {
        problems.push({ folder: name, message: (error as Error).message });
      }
    }
    return { skills, problems };
  }

  /** One skill; undefined when its folder or SKILL.md is missing. Throws SkillInvalid when it does not parse. */
  async get(name: string): Promise<Skill | undefined> {
    if (!this.directory || !SKILL_NAME_PATTERN.test(name)) return undefined;
    let text: string;
    try {
      text = await readFile(path.join(this.directory, name, SKILL_FILE), 'utf8');
    } catch {
      return undefined;
    }
    return parseSkillMarkdown(text.slice(0, MAX_SKILL_CHARS), name);
  }
}
