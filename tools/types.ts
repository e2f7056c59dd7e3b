// The contract between the agent's tools and the activity that runs them.
import type { z } from 'zod';
import type { ToolSpec } from '../core/tool-spec';

export type ToolContext = {
  runId: string;
  tenantId: string;
  userId?: string;
  /** Tool-call id from the model: stable across activity retries, so a retry can find its earlier work. */
  callId: string;
  /** Absolute, real (symlink-free) path of the run's workspace; every path is confined to it. */
  workspace: string;
  /** Absolute folder for this run's background and foreground jobs (outside the workspace). */
  jobsDir: string;
  /** Called while a long tool runs so the activity can heartbeat. */
  heartbeat: () => void;
  signal?: AbortSignal;
  notes: NotesPort;
  /** The run's policy lets sandboxed commands use the network (`safety.allowNetwork`); false when omitted. */
  allowNetwork?: boolean;
};

export type ToolResult = {
  /** Text the model sees. */
  output: string;
  isError: boolean;
  /** Structured facts for events and audit (paths written, exit code, truncation...). */
  metadata?: Record<string, unknown>;
};

export interface ToolDefinition<Args = unknown> {
  name: string;
  description: string;
  schema: z.ZodType<Args>;
  run(args: Args, context: ToolContext): Promise<ToolResult>;
}

export type NoteInput = { content: string; category?: string; importance?: number };
export type NoteRecord = { id: string; content: string; category: string; importance: number; createdAt: string };

/** Storage the note tools use; semantic memory replaces the implementation later. */
export interface NotesPort {
  record(scope: { tenantId: string; userId?: string; runId: string }, note: NoteInput): Promise<NoteRecord>;
  recall(scope: { tenantId: string; userId?: string }, query: string, limit: number): Promise<NoteRecord[]>;
}

export type { ToolSpec };
