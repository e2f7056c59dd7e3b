// `npx tsx bench/side-effect-check.ts`: what the side-effect check adds to one write_file call, by
// workspace size (the check walks the workspace twice per call). In-process, no servers.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runWithSideEffectCheck } from '../activities/tool-turn/side-effect-check';
import { createToolRegistry, runTool, type ToolContext } from '../tools';
import { SideEffectSnapshots } from '../activities/tool-turn/snapshots/side-effect-snapshots';

const CALLS = 200;
const WORKSPACE_FILES = [1, 100, 1000];

type Cost = { wallMs: number; cpuMs: number };

async function measure(files: number): Promise<{ alone: Cost; checked: Cost }> {
  const registry = createToolRegistry();
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'keel-side-effect-bench-')));
  const workspace = path.join(root, 'workspace');
  const jobsDir = path.join(root, 'jobs');
  await mkdir(jobsDir, { recursive: true });
  for (let index = 0; index < files; index += 1) {
    const folder = path.join(workspace, `folder${index % 10}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `file${index}.txt`), 'x'.repeat(2000));
  }
  const snapshots = new SideEffectSnapshots();
  const context = (callId: string): ToolContext => ({
    runId: 'run_bench', tenantId: 'tenant_bench', callId, workspace, jobsDir, heartbeat: () => undefined,
    notes: { record: () => Promise.reject(new Error('unused')), recall: () => Promise.resolve([]) },
  });
  const time = async (checked: boolean): Promise<Cost> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let index = 0; index < CALLS; index += 1) {
      const key = `call_${checked ? 'checked' : 'alone'}_${index}`;
      const args = { path: 'bench.txt', content: `step ${index}` };
      const run = () => runTool(registry, 'write_file', args, context(key));
      if (!checked) await run();
      else await runWithSideEffectCheck(snapshots, { toolName: 'write_file', arguments: args, key, step: index, callId: key, workspace, jobsDir, action: 'rollback' }, run);
    }
    const used = process.cpuUsage(cpu);
    return { wallMs: (performance.now() - started) / CALLS, cpuMs: (used.user + used.system) / 1000 / CALLS };
  };
  try {
    await time(true); // warm the snapshot cache, as a running worker has it
    return { alone: await time(false), checked: await time(true) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log('| workspace files | write_file alone (wall / CPU) | with the check (wall / CPU) |');
  console.log('| --- | --- | --- |');
  for (const files of WORKSPACE_FILES) {
    const { alone, checked } = await measure(files);
    const show = (cost: Cost) => `${cost.wallMs.toFixed(2)} / ${cost.cpuMs.toFixed(2)} ms`;
    console.log(`| ${files} | ${show(alone)} | ${show(checked)} |`);
  }
}

void main();
