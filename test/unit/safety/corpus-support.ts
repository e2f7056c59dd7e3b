// Shared pieces of the safety corpora: a fake workspace with symlinks, call builders, and a runner
// that validates each call and collects the verdicts.
import { validateToolCall, type RealpathReader, type SafetyPolicyInput, type ToolCallValidation } from '../../../core/safety';

export const WORKSPACE = '/work/runs/run-1/workspace';

/** Symlinks inside the fake workspace and where they really point. */
export const SYMLINKS: Readonly<Record<string, string>> = {
  [`${WORKSPACE}/link-to-etc`]: '/etc',
  [`${WORKSPACE}/secrets`]: '/root/.ssh',
  [`${WORKSPACE}/vendor/shared`]: '/opt/shared',
  [`${WORKSPACE}/docs-link`]: `${WORKSPACE}/docs`,
};

/** Every path exists; symlinked prefixes are replaced by their targets. */
export const fakeFileSystem: RealpathReader = {
  realpath(target) {
    for (const [link, destination] of Object.entries(SYMLINKS)) {
      if (target === link || target.startsWith(`${link}/`)) return destination + target.slice(link.length);
    }
    return target;
  },
};

export type CorpusCall = { label: string; toolName: string; arguments: Record<string, unknown>; policy?: SafetyPolicyInput };

export const bash = (command: string, policy?: SafetyPolicyInput): CorpusCall => ({ label: `bash: ${command}`, toolName: 'bash', arguments: { command }, policy });
export const readFile = (path: string): CorpusCall => ({ label: `read_file: ${path}`, toolName: 'read_file', arguments: { path } });
export const writeFile = (path: string): CorpusCall => ({ label: `write_file: ${path}`, toolName: 'write_file', arguments: { path, content: 'x' } });
export const editFile = (path: string): CorpusCall => ({ label: `edit_file: ${path}`, toolName: 'edit_file', arguments: { path, old_text: 'a', new_text: 'b' } });

export type CorpusOutcome = { call: CorpusCall; validation: ToolCallValidation };

export function runCorpus(calls: readonly CorpusCall[]): CorpusOutcome[] {
  return calls.map((call) => ({
    call,
    validation: validateToolCall({ toolName: call.toolName, arguments: call.arguments, workspace: WORKSPACE, policy: call.policy }, fakeFileSystem),
  }));
}

export function describeOutcome({ call, validation }: CorpusOutcome): string {
  return `${validation.verdict.padEnd(7)} ${validation.risk.padEnd(8)} ${JSON.stringify(call.label)} ${validation.reasons.join(' | ')}`;
}

export function rate(count: number, total: number): string {
  return `${count}/${total} (${((100 * count) / Math.max(total, 1)).toFixed(1)}%)`;
}
