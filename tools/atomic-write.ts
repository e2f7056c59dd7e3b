// Atomic file replacement: write a temporary file beside the target, flush it, then rename it over
// the target, so a crash leaves either the old content or the new, never half a file.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** Writes `content` to `target` atomically, creating parent folders; keeps an existing file's mode. */
export async function writeFileAtomically(target: string, content: string | Uint8Array): Promise<number> {
  const folder = path.dirname(target);
  await mkdir(folder, { recursive: true });
  const existingMode = await stat(target).then((stats) => stats.mode & 0o7777, () => undefined);
  const temporary = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (existingMode !== undefined) await chmod(temporary, existingMode);
    await rename(temporary, target);
    await syncFolder(folder);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return bytes.byteLength;
}

/** Flushes the rename itself to disk; best effort, since some file systems refuse to sync a folder. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
