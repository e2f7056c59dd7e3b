// Decodes a path the way any layer might before it reaches the file system (percent-encoding, once
// or repeatedly, overlong UTF-8, look-alike dots and slashes) so every reading can be checked.

/** Percent-decoding passes tried; `%25252e` needs three. */
export const MAX_PERCENT_DECODING_PASSES = 3;

export const PATH_PROBLEMS = {
  nul: 'nul',
  lookAlike: 'look-alike',
  overlongEncoding: 'overlong-encoding',
  repeatedEncoding: 'repeated-encoding',
} as const;
export type PathProblem = (typeof PATH_PROBLEMS)[keyof typeof PATH_PROBLEMS];

export type DecodedPath = {
  /** The reading a tool that decodes once (as workspace-path.ts does) would open. */
  primary: string;
  /** Every distinct reading, primary first. */
  variants: string[];
  problems: PathProblem[];
};

/** Characters that render like `.`, `/` or `\` but are not (fullwidth forms, leaders, math slashes). */
const LOOK_ALIKES: Record<string, string> = {
  '\uFF0E': '.', '\u2024': '.', '\uFE52': '.', '\uFF61': '.', '\u3002': '.', '\u2025': '..', '\u2026': '...',
  '\uFF0F': '/', '\u2215': '/', '\u2044': '/', '\u29F8': '/', '\u1735': '/', '\u2571': '/', '\u3033': '/',
  '\uFF3C': '\\', '\u2216': '\\', '\u29F5': '\\', '\u29F9': '\\', '\uFE68': '\\',
};
const LOOK_ALIKE_PATTERN = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'gu');

/** Invalid UTF-8 that lenient decoders turn into `.`, `/` or `\`. */
const OVERLONG_SEQUENCES: ReadonlyArray<[RegExp, string]> = [
  [/%c0%ae|%e0%80%ae|%f0%80%80%ae/giu, '.'],
  [/%c0%af|%e0%80%af|%f0%80%80%af|%c0%2f/giu, '/'],
  [/%c1%9c|%c1%1c|%c0%5c/giu, '\\'],
];

export function decodePath(raw: string): DecodedPath {
  const problems = new Set<PathProblem>();
  const original = raw.normalize('NFC');
  const percentReadings = percentDecodings(original);
  const primary = percentReadings[1] ?? original;
  if (percentReadings.length > 2) problems.add(PATH_PROBLEMS.repeatedEncoding);
  const readings = [primary, ...percentReadings];
  const last = percentReadings[percentReadings.length - 1] ?? original;
  let overlong = last;
  for (const [pattern, replacement] of OVERLONG_SEQUENCES) overlong = overlong.replace(pattern, replacement);
  if (overlong !== last) {
    problems.add(PATH_PROBLEMS.overlongEncoding);
    readings.push(overlong);
  }
  for (const reading of [...readings]) {
    const folded = foldLookAlikes(reading);
    if (folded !== reading) {
      problems.add(PATH_PROBLEMS.lookAlike);
      readings.push(folded);
    }
  }
  if (readings.some((reading) => reading.includes('\0'))) problems.add(PATH_PROBLEMS.nul);
  return { primary, variants: [...new Set(readings)], problems: [...problems] };
}

/** Maps look-alike characters to the ASCII they imitate, then applies compatibility normalisation. */
export function foldLookAlikes(text: string): string {
  return text.replace(LOOK_ALIKE_PATTERN, (character) => LOOK_ALIKES[character] ?? character).normalize('NFKC');
}

/** The original followed by each successive percent-decoding that changed something. */
function percentDecodings(text: string): string[] {
  const readings = [text];
  let current = text;
  for (let pass = 0; pass < MAX_PERCENT_DECODING_PASSES; pass++) {
    const next = decodePercentLeniently(current);
    if (next === current) break;
    readings.push(next);
    current = next;
  }
  return readings;
}

/** Decodes every valid escape, leaving stray `%` (as in "50%.txt") and invalid UTF-8 alone. */
function decodePercentLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9a-f]{2})+/giu, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
