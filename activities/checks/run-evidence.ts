// What a finished run left for its scorers to look at: the last final answer and the user's request
// from its transcript, the tools it called, and the workspace files the scorers name (read confined
// to the run's workspace: a path that resolves outside it, or a link out of it, is no file).
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvidence } from '../../core/evals';
import { textOf, toolCallsOf } from '../../core/messages';
import { requestText, userRequestOf } from '../../core/judgement';
import type { TranscriptEntry } from '../../stores/transcript-repository';

/** Larger files are scored on their first this many bytes. */
const MAX_FILE_BYTES = 1_000_000;

export type TranscriptEvidence = Omit<RunEvidence, 'files'> & { request: string };

export function transcriptEvidence(entries: readonly TranscriptEntry[]): TranscriptEvidence {
  const tools = new Set<string>();
  let answer = '';
  for (const { message } of entries) {
    if (message.type !== 'assistant') continue;
    const calls = toolCallsOf(message);
    for (const call of calls) tools.add(call.toolName);
    if (calls.length === 0) answer = textOf(message);
  }
  const request = userRequestOf(entries.map((entry) => entry.message));
  return { answer, toolsUsed: [...tools].sort(), request: request ? requestText(request) : '' };
}

/** The named files' text under the run's workspace (`<root>/<tenant>/<run>`); undefined for each one that is not a readable file inside it. */
export async function workspaceFiles(workspaceRoot: string, tenantId: string, runId: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const files = new Map<string, string | undefined>();
  if (paths.length === 0) return files;
  let workspace: string | undefined;
  try {
    workspace = await realpath(path.join(workspaceRoot, tenantId, runId));
  } catch {
    workspace = undefined;
  }
  for (const relative of new Set(paths)) files.set(relative, workspace === undefined ? undefined : await confinedText(workspace, relative));
  return files;
}

async function confinedText(workspace: string, relative: string): Promise<string | undefined> {
  try {
    const resolved = await realpath(path.resolve(workspace, relative));
    if (resolved !== workspace && !resolved.startsWith(`${workspace}${path.sep}`)) return undefined;
    if (!(await stat(resolved)).isFile()) return undefined;
    const content = await readFile(resolved);
    return content.subarray(0, MAX_FILE_BYTES).toString('utf8');
  } catch {
    return undefined;
  }
}
