// Reads an eval dataset: JSON Lines, one case a line (`{"input": "...", "expected"?: {...},
// "scorers"?: [...]}`), blank lines skipped. The scorers' own shape is Keel's to check (a bad one is
// that line's 400); a line that is not such an object names its line number.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const evalCaseShape = z.object({
  input: z.string().trim().min(1, 'must not be empty'),
  expected: z.record(z.string(), z.unknown()).optional(),
  scorers: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
}).strict();
export type EvalCase = z.infer<typeof evalCaseShape> & { line: number };

/** Thrown when a dataset cannot be read or a line is not a case. */
export class DatasetFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DatasetFileError';
  }
}

export function readDataset(file: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DatasetFileError(file, (error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const cases: EvalCase[] = [];
  text.split(/\r?\n/u).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new DatasetFileError(file, `line ${line} is not JSON: ${(error as Error).message}`);
    }
    const parsed = evalCaseShape.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DatasetFileError(file, `line ${line}: ${issue?.path.join('.') || '(line)'} ${issue?.message ?? 'is not a case'}`);
    }
    cases.push({ ...parsed.data, line });
  });
  if (cases.length === 0) throw new DatasetFileError(file, 'has no cases (one JSON object a line: {"input": "..."})');
  return cases;
}
