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
  /** Full outputs of the run's earlier tool calls (read_tool_output); absent where nothing is stored. */
  toolOutputs?: ToolOutputsPort;
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

export type NoteInput = {
  content: string;
  category?: string;
  importance?: number;
  /** An earlier note this one corrects: it is superseded (kept, linked), never deleted. */
  supersedesId?: string;
  /** The note is not recalled after this many days. */
  expiresInDays?: number;
  /** Same key, same note: a retried tool call returns the note the first attempt wrote. */
  idempotencyKey?: string;
};
export type NoteRecord = {
  id: string;
  content: string;
  category: string;
  importance: number;
  createdAt: string;
  version: number;
  /** The version this one replaced, when it merged with or corrected an earlier note. */
  supersedesId: string | null;
};

/**
 * Semantic memory as the note tools see it (activities/tool-turn/notes-port.ts adapts stores/notes). A note
 * that repeats or corrects an earlier one supersedes it; recall ranks by similarity, importance
 * and recency. Mistakes the model can fix (an unknown note to supersede) throw ToolInputError.
 */
export interface NotesPort {
  record(scope: { tenantId: string; userId?: string; runId: string }, note: NoteInput): Promise<NoteRecord>;
  recall(scope: { tenantId: string; userId?: string }, query: string, limit: number): Promise<NoteRecord[]>;
}

/** Stored tool outputs by reference (the execution key in a compressed result's reference line). */
export interface ToolOutputsPort {
  /** The output, only when `reference` names a tool call of this tenant's run. */
  readOutput(scope: { tenantId: string; runId: string }, reference: string): Promise<{ toolName: string; output: string } | undefined>;
}

export type { ToolSpec };
