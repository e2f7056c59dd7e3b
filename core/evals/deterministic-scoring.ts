// Scores a finished run with the deterministic scorers: pure functions of what the run left (its
// final answer, the tools it called, the workspace files the scorers name, read beforehand).
// Each verdict is all or nothing: score 1 and passed, or score 0 with the reason it failed.
import { schemaErrors } from '../json-schema';
import { parseModelJson } from '../judgement/model-json';
import { z } from 'zod';
import { scorerNameOf, type Scorer, type ScoreVerdict } from './scorers';

/** What a run left that scorers look at. */
export type RunEvidence = {
  /** The final answer's text ('' when the run ended without one). */
  answer: string;
  /** The names of the tools the run called, each once. */
  toolsUsed: readonly string[];
  /** The workspace files the scorers name: their text, or undefined when there is no such file. */
  files: ReadonlyMap<string, string | undefined>;
};

export type DeterministicScorer = Exclude<Scorer, { kind: 'rubric' }>;

/** Whether `text` matches; the worker passes one with a time limit (a user's pattern may backtrack for ever). May throw. */
export type RegexTest = (pattern: string, flags: string | undefined, text: string) => boolean;

const plainRegexTest: RegexTest = (pattern, flags, text) => new RegExp(pattern, flags).test(text);

/** Answers are matched on at most this much text (keeps a pathological pattern's work bounded). */
const MAX_MATCHED_CHARS = 200_000;
const PREVIEW_CHARS = 120;

export function isDeterministic(scorer: Scorer): scorer is DeterministicScorer {
  return scorer.kind !== 'rubric';
}

export function scoreDeterministic(scorer: DeterministicScorer, evidence: RunEvidence, test: RegexTest = plainRegexTest): ScoreVerdict {
  const verdict = (passed: boolean, reason: string): ScoreVerdict => ({
    scorer: scorerNameOf(scorer), kind: scorer.kind, score: passed ? 1 : 0, passed, reason,
  });
  try {
    return scoreWith(scorer, evidence, test, verdict);
  } catch (error) {
    // A pattern that could not be matched (in time) fails its scorer rather than the scoring.
    return verdict(false, `could not be scored: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type Verdict = (passed: boolean, reason: string) => ScoreVerdict;

function scoreWith(scorer: DeterministicScorer, evidence: RunEvidence, test: RegexTest, verdict: Verdict): ScoreVerdict {
  switch (scorer.kind) {
    case 'answer_regex': {
      const matched = test(scorer.pattern, scorer.flags, evidence.answer.slice(0, MAX_MATCHED_CHARS));
      return verdict(matched, matched ? `the answer matches /${scorer.pattern}/${scorer.flags ?? ''}` : `the answer ${preview(evidence.answer)} does not match /${scorer.pattern}/${scorer.flags ?? ''}`);
    }
    case 'answer_json_schema': {
      const parsed = parseModelJson(evidence.answer, z.unknown().refine((value) => value !== undefined));
      if (!parsed.ok) return verdict(false, `the answer is not JSON: ${preview(evidence.answer)}`);
      const errors = schemaErrors(scorer.schema, parsed.value);
      return verdict(errors.length === 0, errors.length === 0 ? 'the answer is JSON matching the schema' : `the answer does not match the schema: ${errors.join('; ')}`);
    }
    case 'tool_used': {
      const used = evidence.toolsUsed.includes(scorer.tool);
      return verdict(used, used ? `the run called ${scorer.tool}` : `the run never called ${scorer.tool} (called: ${listed(evidence.toolsUsed)})`);
    }
    case 'tool_not_used': {
      const used = evidence.toolsUsed.includes(scorer.tool);
      return verdict(!used, used ? `the run called ${scorer.tool}` : `the run never called ${scorer.tool}`);
    }
    case 'workspace_file':
      return workspaceFileVerdict(scorer, evidence.files.get(scorer.path), test, verdict);
  }
}

function workspaceFileVerdict(scorer: Extract<Scorer, { kind: 'workspace_file' }>, content: string | undefined, test: RegexTest, verdict: Verdict): ScoreVerdict {
  if (content === undefined) return verdict(false, `the workspace has no file ${scorer.path}`);
  if (scorer.equals !== undefined) {
    const equal = content === scorer.equals;
    return verdict(equal, equal ? `${scorer.path} has the expected content` : `${scorer.path} holds ${preview(content)}, not ${preview(scorer.equals)}`);
  }
  if (scorer.contains !== undefined) {
    const contains = content.includes(scorer.contains);
    return verdict(contains, contains ? `${scorer.path} contains ${preview(scorer.contains)}` : `${scorer.path} does not contain ${preview(scorer.contains)}`);
  }
  if (scorer.regex !== undefined) {
    const matched = test(scorer.regex, scorer.flags, content.slice(0, MAX_MATCHED_CHARS));
    const shown = `/${scorer.regex}/${scorer.flags ?? ''}`;
    return verdict(matched, matched ? `${scorer.path} matches ${shown}` : `${scorer.path} does not match ${shown}`);
  }
  return verdict(true, `${scorer.path} exists`);
}

function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? 'no tools' : names.join(', ');
}
