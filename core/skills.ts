// Skills: SKILL.md documents (YAML front matter with name and description, then the body) a run
// may load on demand. Only names and descriptions go into the system prompt; `get_skill` returns
// a body when the model asks for it (progressive disclosure).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const GET_SKILL_TOOL = 'get_skill';
export const SKILL_FILE = 'SKILL.md';
export const MAX_SKILL_CHARS = 100_000;
export const MAX_SKILL_DESCRIPTION_CHARS = 1024;
/** Most skills one run lists in its system prompt. */
export const MAX_RUN_SKILLS = 50;

export const SKILL_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const skillName = () => z.string().regex(SKILL_NAME_PATTERN, 'must be a slug: 1-63 lowercase letters, digits or -, starting with a letter or digit');

export type Skill = { name: string; description: string; body: string };
/** What the system prompt lists; `source` says where the body is read from. */
export type SkillSummary = { name: string; description: string; source: 'tenant' | 'directory' };

const frontMatterSchema = z.object({
  name: skillName().optional(),
  description: z.string().trim().min(1, 'must not be empty').max(MAX_SKILL_DESCRIPTION_CHARS),
}).loose();

/** Thrown when a SKILL.md has no front matter, or front matter without a valid description. */
export class SkillInvalid extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'SkillInvalid';
  }
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Parses a SKILL.md; `expectedName` (the folder or URL name) is used when the front matter names none, and must match when it does. */
export function parseSkillMarkdown(text: string, expectedName: string): Skill {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new SkillInvalid('markdown', 'a SKILL.md starts with YAML front matter between --- lines, holding at least `description`');
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? '');
  } catch (error) {
    throw new SkillInvalid('markdown', `the front matter is not YAML: ${(error as Error).message}`);
  }
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SkillInvalid(`markdown.${issue?.path.join('.') ?? ''}`, `front matter ${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.name !== undefined && parsed.data.name !== expectedName) {
    throw new SkillInvalid('markdown.name', `the front matter names the skill "${parsed.data.name}", not "${expectedName}"`);
  }
  return { name: expectedName, description: parsed.data.description, body: text.slice(match[0].length).trim() };
}

/** The SKILL.md text of a skill (what GET /v1/skills/:name answers as `markdown`). */
export function skillMarkdown(skill: Skill): string {
  return `---\nname: ${skill.name}\ndescription: ${JSON.stringify(skill.description)}\n---\n\n${skill.body}\n`;
}

/** The system prompt's section naming the run's skills (empty without skills). */
export function skillsPromptSection(skills: ReadonlyArray<Pick<SkillSummary, 'name' | 'description'>>): string {
  if (skills.length === 0) return '';
  const lines = skills.map((skill) => `- ${skill.name}: ${skill.description.replace(/\s+/g, ' ')}`);
  return [
    '## Skills',
    `You have these skills. When a task matches one, call ${GET_SKILL_TOOL} with its name first and follow the instructions it returns.`,
    ...lines,
  ].join('\n');
}
