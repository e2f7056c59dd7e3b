// Splits a CPU profile of the Keel process into the parts of a step: each sample goes to the part
// of the nearest frame of Keel's own code on its stack, or, when the stack has none (I/O callbacks,
// GC), to the part its package serves. Counting starts at the first sample inside a step, so
// loading modules and opening services stay out. Prints milliseconds per part, and per step when
// given the number of steps the profile covers.
import { readFileSync } from 'node:fs';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export const STEP_PARTS = ['orchestration', 'model call', 'context', 'tool gate', 'side-effect check', 'tool', 'writes', 'events and SSE', 'start-up', 'other'] as const;
export type StepPart = (typeof STEP_PARTS)[number];

/** Keel's own folders and files, most specific first. */
const OWN_CODE: Array<[RegExp, StepPart]> = [
  [/activities\/tool-turn\/(tool-gate|outcome-check)|core\/(safety|judgement)\//, 'tool gate'],
  [/activities\/tool-turn\/(side-effect|snapshots\/)|core\/side-effects\//, 'side-effect check'],
  [/^tools\//, 'tool'],
  [/activities\/model-turn\/(context|summary|request-size|token)|core\/context\//, 'context'],
  [/activities\/model-turn\/|providers\//, 'model call'],
  [/activities\/records\/event-recorder|stores\/event-bus|api\/routes\/events|runtime\/metrics\//, 'events and SSE'],
  [/^stores\/|activities\/records\//, 'writes'],
  [/^(workflows|worker)\/|activities\/step\//, 'orchestration'],
];

/** Packages, for samples with no frame of Keel's code above them. */
const PACKAGES: Array<[RegExp, StepPart]> = [
  [/node_modules\/(pg|pg-protocol|pg-pool|drizzle-orm)\//, 'writes'],
  [/node_modules\/(openai|@anthropic-ai)\/|undici/, 'model call'],
  [/node_modules\/@temporalio\/|protobufjs|@grpc\//, 'orchestration'],
  [/node_modules\/(fastify|ioredis)\//, 'events and SSE'],
  [/node_modules\/tiktoken\/|^wasm:/, 'context'],
  [/node_modules\/tsx\/|node:internal\/modules\/|source_map/, 'start-up'],
];

function partOf(url: string, functionName: string): StepPart | undefined {
  const own = url.replace(/^file:\/\//, '');
  if (!own.includes('node_modules')) {
    const relative = own.replace(/^.*?\/(?=(activities|api|core|providers|runtime|stores|tools|workflows|worker)\/)/, '');
    for (const [pattern, part] of OWN_CODE) if (pattern.test(relative)) return part;
  }
  for (const [pattern, part] of PACKAGES) if (pattern.test(own)) return part;
  if (functionName === 'wrapSafe' || functionName === 'compileFunction') return 'start-up';
  return undefined;
}

export function splitProfile(file: string): Record<StepPart, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = Object.fromEntries(STEP_PARTS.map((part) => [part, 0])) as Record<StepPart, number>;
  const inStep = (id: number) => {
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const { url, functionName } = byId.get(current)!.callFrame;
      if (functionName === 'runStep' && url.endsWith('activities/step/run-step.ts')) return true;
    }
    return false;
  };
  let counting = false;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    counting ||= inStep(id);
    if (!counting || !frame || frame.functionName === '(idle)') return;
    let part: StepPart | undefined;
    // The nearest own frame decides; failing that, the innermost frame whose package says.
    let packagePart: StepPart | undefined;
    for (let current: number | undefined = id; current !== undefined && !part; current = parent.get(current)) {
      const { url, functionName } = byId.get(current)!.callFrame;
      const found = partOf(url, functionName);
      if (found && !url.includes('node_modules') && url.startsWith('file://')) part = found;
      else packagePart ??= found;
    }
    totals[part ?? packagePart ?? 'other'] += (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return totals;
}

export function formatSplit(totals: Record<StepPart, number>, steps?: number): string {
  const busy = STEP_PARTS.filter((part) => part !== 'start-up').reduce((sum, part) => sum + totals[part], 0);
  return STEP_PARTS.map((part) => {
    const ms = totals[part];
    const perStep = steps && part !== 'start-up' ? `  ${(ms / steps).toFixed(2).padStart(6)} ms/step` : '';
    const share = part === 'start-up' ? '' : `  ${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
    return `${part.padEnd(18)} ${ms.toFixed(0).padStart(7)} ms${share}${perStep}`;
  }).join('\n');
}

if (require.main === module) {
  const [file, steps] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/support/step-split.ts <file.cpuprofile> [steps]');
  console.log(formatSplit(splitProfile(file), steps ? Number(steps) : undefined));
}
