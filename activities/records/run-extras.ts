// Per-worker cache of what a run declared beyond the workflow's input fields: its skills, its HTTP
// tools and its output schema, read once from the run's stored spec (it never changes), so step
// payloads and histories stay as they were.
import { z } from 'zod';
import { httpToolsSchema, type HttpTool } from '../../core/http-tools';
import { runOutputSchema, type RunOutput } from '../../core/run-output';
import type { RunsRepository } from '../../stores/runs-repository';

export const DEFAULT_EXTRAS_CACHE_RUNS = 2000;

export type RunExtrasSpec = { skills: string[]; httpTools: HttpTool[]; output?: RunOutput };

const storedExtras = z.object({
  skills: z.array(z.string()).optional(),
  httpTools: httpToolsSchema.optional(),
  output: runOutputSchema.optional(),
}).loose();

export class RunExtras {
  private readonly cache = new Map<string, RunExtrasSpec>();

  constructor(private readonly runs: Pick<RunsRepository, 'get'>, private readonly maxRuns = DEFAULT_EXTRAS_CACHE_RUNS) {}

  async forRun(tenantId: string, runId: string): Promise<RunExtrasSpec> {
    const cached = this.cache.get(runId);
    if (cached) return cached;
    const row = await this.runs.get(tenantId, runId);
    const stored = storedExtras.parse(row?.spec ?? {});
    const extras: RunExtrasSpec = { skills: stored.skills ?? [], httpTools: stored.httpTools ?? [], ...(stored.output && { output: stored.output }) };
    if (this.cache.size >= this.maxRuns) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(runId, extras);
    return extras;
  }
}
