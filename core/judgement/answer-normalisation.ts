// Normalised comparison of short answers, so "42", "The answer is 42." and "42.0" count as the same
// without asking a model: case, Unicode forms, whitespace, punctuation and number formats (thousands
// separators, trailing decimal zeros, a leading +) are folded away.

/** Phrases that introduce an answer without being part of it. */
const LEAD_INS = /^(?:(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*|it\s+is\s+|it[’']?s\s+)/u;

export function normaliseAnswer(text: string): string {
  let normal = text.normalize('NFKC').toLowerCase().trim().replace(LEAD_INS, '');
  // Numbers first, while their commas and points are still there: 1,234.50 → 1234.5, +3 → 3.
  normal = normal.replace(/[+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+]?\d+(?:\.\d+)?/gu, (number) => canonicalNumber(number.replace(/[+,]/gu, '')));
  normal = normal.replace(/(\d)\.(\d)/gu, '$1\u0000$2');
  normal = normal.replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\u0000/gu, '.');
  return normal.replace(/\s+/gu, ' ').trim();
}

function canonicalNumber(digits: string): string {
  if (!digits.includes('.')) return digits.replace(/^0+(?=\d)/u, '');
  const [whole = '0', fraction = ''] = digits.split('.');
  const trimmed = fraction.replace(/0+$/u, '');
  const integer = whole.replace(/^0+(?=\d)/u, '');
  return trimmed === '' ? integer : `${integer}.${trimmed}`;
}

/** Every answer normalises to the same text (fewer than two answers never "agree"). */
export function normalisedAgreement(answers: readonly string[]): boolean {
  if (answers.length < 2) return false;
  const first = normaliseAnswer(answers[0] ?? '');
  return first !== '' && answers.every((answer) => normaliseAnswer(answer) === first);
}
