// Summarises a V8 .cpuprofile (from --cpu-prof): self time by function and by package, so the
// bench README can say what bounds a number.
import { readFileSync } from 'node:fs';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export function summariseProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const where = frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'npm:').replace(/.*\/work\/main\//, '');
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const pkg = where.startsWith('npm:') ? where.split('/').slice(0, where.startsWith('npm:@') ? 2 : 1).join('/') : where === '' ? `(${frame.functionName || 'native'})` : where.split('/')[0]!;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  }
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const format = (entries: Map<string, number>) => [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`).join('\n');
  return `total ${(total / 1000).toFixed(0)} ms\n\nby package:\n${format(byPackage)}\n\nby function:\n${format(byFunction)}`;
}

if (require.main === module) console.log(summariseProfile(process.argv[2] ?? '', Number(process.argv[3] ?? 25)));
