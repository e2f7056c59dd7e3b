// Request and response shapes of the skill routes (/v1/skills).
import { z } from 'zod';
import { MAX_SKILL_CHARS, MAX_SKILL_DESCRIPTION_CHARS, skillName } from '../core/skills';

export const skillNameParams = z.object({ name: skillName() });

export const putSkillBody = z.object({
  markdown: z.string().min(1).max(MAX_SKILL_CHARS).optional()
    .describe('The SKILL.md text: YAML front matter (`description`, optional `name` equal to the URL name) between --- lines, then the body.'),
  description: z.string().trim().min(1, 'must not be empty').max(MAX_SKILL_DESCRIPTION_CHARS).optional().describe('Instead of `markdown`: the description (goes into the system prompt).'),
  body: z.string().min(1).max(MAX_SKILL_CHARS).optional().describe('Instead of `markdown`: the instructions get_skill returns.'),
}).strict();
export type PutSkillBody = z.infer<typeof putSkillBody>;

export const skillSummaryResource = z.object({
  name: z.string(),
  description: z.string(),
  source: z.enum(['tenant', 'directory']).describe('`tenant`: uploaded over the API; `directory`: a folder of KEEL_SKILLS_DIR (a tenant skill of the same name wins).'),
  updatedAt: z.string().nullable(),
  links: z.object({ self: z.string() }),
});

export const skillResource = skillSummaryResource.extend({
  body: z.string(),
  markdown: z.string().describe('The skill as a SKILL.md document.'),
});
