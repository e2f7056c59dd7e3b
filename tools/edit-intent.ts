// The intent file edit_file stores before writing: the sha256 of the content it is about to write,
// so a retry of the same call can see that its earlier attempt already applied the edit.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-write';
import { editIntentPath } from './job-id';

const editIntentSchema = z.object({
  path: z.string(),
  expectedSha256: z.string(),
  recordedAt: z.string(),
});
export type EditIntent = z.infer<typeof editIntentSchema>;

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function recordEditIntent(jobsDir: string, callId: string, absolutePath: string, newContent: string): Promise<void> {
  const intent: EditIntent = { path: absolutePath, expectedSha256: sha256(newContent), recordedAt: new Date().toISOString() };
  await writeFileAtomically(editIntentPath(jobsDir, callId), JSON.stringify(intent));
}

/** The intent an earlier attempt of this call stored, if any (an unreadable one counts as none). */
export async function readEditIntent(jobsDir: string, callId: string): Promise<EditIntent | undefined> {
  const text = await readFile(editIntentPath(jobsDir, callId), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = editIntentSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
