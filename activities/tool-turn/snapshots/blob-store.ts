// The content-addressed folder, outside the workspace, where a snapshot keeps file contents for a
// rollback; shared by a run's snapshots, so an unchanged file is stored once.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where file contents are kept for rollback, and which of them this process knows are stored. */
export class BlobStore {
  private readonly known = new Set<string>();

  constructor(readonly folder: string) {}

  file(hash: string): string {
    return path.join(this.folder, hash);
  }

  /** Known stored by this process: no file-system check needed. */
  knows(hash: string): boolean {
    return this.known.has(hash);
  }

  async has(hash: string): Promise<boolean> {
    if (this.known.has(hash)) return true;
    const present = await stat(this.file(hash)).then(() => true, () => false);
    if (present) this.known.add(hash);
    return present;
  }

  /** Written beside its final name and renamed, so a crash never leaves half a blob under a hash. */
  async put(hash: string, content: Uint8Array): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const temporary = path.join(this.folder, `.${hash}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temporary, content);
    await rename(temporary, this.file(hash));
    this.known.add(hash);
  }
}
