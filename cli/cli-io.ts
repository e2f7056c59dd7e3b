// Where the CLI writes: stdout for results (an answer, a list, a run), stderr for progress and errors,
// so `keel run "task" > answer.txt` keeps only the answer.
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
};

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Columns padded to their widest cell, for `ls` commands. */
export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n') + '\n';
}
