// Users' regular expressions (answer_regex and workspace_file scorers) matched with a time limit:
// a pattern that backtracks catastrophically would otherwise block the worker's event loop, and
// every run on it. The match runs in a vm context, whose timeout interrupts V8's regex engine.
import vm from 'node:vm';
import type { RegexTest } from '../../core/evals';

export const REGEX_TIMEOUT_MS = 1000;

/** Thrown when a pattern did not finish matching in time. */
export class RegexTimedOut extends Error {
  constructor(readonly pattern: string, readonly timeoutMs: number) {
    super(`the pattern took longer than ${timeoutMs} ms to match`);
    this.name = 'RegexTimedOut';
  }
}

const MATCH = new vm.Script('new RegExp(pattern, flags).test(text)');

export function boundedRegexTest(timeoutMs = REGEX_TIMEOUT_MS): RegexTest {
  return (pattern, flags, text) => {
    const context = vm.createContext({ pattern, flags: flags ?? '', text });
    try {
      return MATCH.runInContext(context, { timeout: timeoutMs }) === true;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new RegexTimedOut(pattern, timeoutMs);
      throw error;
    }
  };
}
