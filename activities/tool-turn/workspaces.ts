// Per-run folders: the workspace the agent's tools are confined to, and a jobs folder (outside it)
// where background and foreground command jobs keep their output and exit codes.
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';

export type RunFolders = { workspace: string; jobsDir: string };

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class Workspaces {
  private readonly known = new Map<string, RunFolders>();

  constructor(private readonly workspaceRoot: string, private readonly jobsRoot: string) {}

  async forRun(tenantId: string, runId: string): Promise<RunFolders> {
    const cached = this.known.get(runId);
    if (cached) return cached;
    if (!SAFE_ID.test(tenantId) || !SAFE_ID.test(runId)) throw new Error(`unsafe tenant or run id: ${tenantId}/${runId}`);
    const workspace = path.join(this.workspaceRoot, tenantId, runId);
    const jobsDir = path.join(this.jobsRoot, tenantId, runId);
    await Promise.all([mkdir(workspace, { recursive: true }), mkdir(jobsDir, { recursive: true })]);
    // Real paths: confinement compares against symlink-free prefixes.
    const folders = { workspace: await realpath(workspace), jobsDir: await realpath(jobsDir) };
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(runId, folders);
    return folders;
  }
}
