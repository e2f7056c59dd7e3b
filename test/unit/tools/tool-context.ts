// Test helpers: a real temporary workspace and jobs folder, and a ToolContext over them.
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NoteInput, NoteRecord, NotesPort, ToolContext } from '../../../tools/types';

export type Sandbox = { root: string; workspace: string; jobsDir: string; outside: string; cleanup: () => Promise<void> };

/** A temporary root holding `workspace/`, `jobs/` (outside the workspace) and `outside/`. */
export async function createSandbox(): Promise<Sandbox> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'keel-tools-')));
  const workspace = path.join(root, 'workspace');
  const jobsDir = path.join(root, 'jobs');
  const outside = path.join(root, 'outside');
  await Promise.all([mkdir(workspace), mkdir(jobsDir), mkdir(outside)]);
  return { root, workspace, jobsDir, outside, cleanup: () => rm(root, { recursive: true, force: true }) };
}

let callCounter = 0;

export function nextCallId(): string {
  callCounter += 1;
  return `call_test_${process.pid}_${callCounter}`;
}

export class MemoryNotes implements NotesPort {
  readonly notes: NoteRecord[] = [];

  async record(_scope: { tenantId: string }, note: NoteInput): Promise<NoteRecord> {
    const record = {
      id: `note_${this.notes.length + 1}`,
      content: note.content,
      category: note.category ?? 'general',
      importance: note.importance ?? 0.5,
      createdAt: new Date(0).toISOString(),
      version: note.supersedesId ? 2 : 1,
      supersedesId: note.supersedesId ?? null,
    };
    this.notes.push(record);
    return record;
  }

  async recall(_scope: { tenantId: string }, query: string, limit: number): Promise<NoteRecord[]> {
    const words = query.toLowerCase().split(/\s+/);
    return this.notes.filter((note) => words.some((word) => note.content.toLowerCase().includes(word))).slice(0, limit);
  }
}

export function createContext(sandbox: Sandbox, overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    runId: 'run_test',
    tenantId: 'tenant_test',
    callId: nextCallId(),
    workspace: sandbox.workspace,
    jobsDir: sandbox.jobsDir,
    heartbeat: () => undefined,
    notes: new MemoryNotes(),
    ...overrides,
  };
}
