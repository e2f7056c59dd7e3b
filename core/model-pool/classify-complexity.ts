// A cheap, deterministic guess at how hard a request is, so `auto` runs pick a tier without a model
// call. It is a heuristic over surface signals (length, code, multi-step verbs, questions, tools),
// not an understanding of the task: a run that knows better names its complexity.
import type { Complexity, ComplexityChoice } from './tiers';

export type ComplexityVerdict = { complexity: Complexity; reason: string };

const LONG_REQUEST_CHARACTERS = 1_500;
const VERY_LONG_REQUEST_CHARACTERS = 6_000;
const MANY_QUESTIONS = 3;
const MANY_TOOLS = 8;
/** Score at or above which a request is `medium`, and `complex`. */
const MEDIUM_SCORE = 1;
const COMPLEX_SCORE = 3;

/** Verbs of work that takes planning and several steps; each distinct one adds a point, at most two. */
const MULTI_STEP_WORDS = /\b(refactor\w*|migrat\w*|design\w*|debug\w*|architect\w*|implement\w*|optimi[sz]\w*|investigat\w*|diagnos\w*|rewrite|rewriting|root cause|trade-?offs?|end[- ]to[- ]end)\b/gi;
/** Sequencing: "first … then …", "step 2", numbered lists. */
const SEQUENCE_MARKERS = /\b(then|after that|afterwards|finally|step \d+)\b|^\s*\d+[.)]\s/gim;

export function classifyComplexity(text: string, toolCount: number): ComplexityVerdict {
  const signals: string[] = [];
  let score = 0;

  if (text.length >= VERY_LONG_REQUEST_CHARACTERS) {
    score += 2;
    signals.push(`${text.length} characters`);
  } else if (text.length >= LONG_REQUEST_CHARACTERS) {
    score += 1;
    signals.push(`${text.length} characters`);
  }

  const codeBlocks = Math.floor((text.match(/```/g) ?? []).length / 2);
  if (codeBlocks > 0) {
    score += codeBlocks >= 3 ? 2 : 1;
    signals.push(`${codeBlocks} code block${codeBlocks === 1 ? '' : 's'}`);
  }

  const verbs = [...new Set((text.match(MULTI_STEP_WORDS) ?? []).map((word) => word.toLowerCase()))];
  if (verbs.length > 0) {
    score += Math.min(verbs.length, 2);
    signals.push(`multi-step work (${verbs.join(', ')})`);
  }

  const sequenceMarkers = (text.match(SEQUENCE_MARKERS) ?? []).length;
  if (sequenceMarkers >= 2) {
    score += 1;
    signals.push(`${sequenceMarkers} sequencing markers`);
  }

  const questions = (text.match(/\?/g) ?? []).length;
  if (questions >= MANY_QUESTIONS) {
    score += 1;
    signals.push(`${questions} questions`);
  }

  if (toolCount >= MANY_TOOLS) {
    score += 1;
    signals.push(`${toolCount} tools`);
  }

  const complexity: Complexity = score >= COMPLEX_SCORE ? 'complex' : score >= MEDIUM_SCORE ? 'medium' : 'simple';
  const reason = signals.length > 0 ? signals.join(', ') : 'short request with no multi-step signals';
  return { complexity, reason: `${complexity} (score ${score}): ${reason}` };
}

/** A named level is taken as given; `auto` goes through the classifier. */
export function resolveComplexity(choice: ComplexityChoice, text: string, toolCount: number): ComplexityVerdict {
  if (choice === 'auto') return classifyComplexity(text, toolCount);
  return { complexity: choice, reason: `${choice} (requested by the run)` };
}
