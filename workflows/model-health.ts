// Checks every pool model's health, one activity per model in parallel, started by the Temporal
// Schedule `keel-model-health` (worker/health-schedule.ts). The activity records each result in
// the shared circuit store; this workflow only fans out and summarises. Deterministic.
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import type { ModelHealthReport } from '../activities/contract';

type Activities = ReturnType<typeof createActivities>;

export type ModelHealthInput = { modelIds: string[] };
export type ModelHealthSummary = { checked: number; healthy: string[]; unhealthy: ModelHealthReport[] };

export async function modelHealth(input: ModelHealthInput): Promise<ModelHealthSummary> {
  const { checkModelHealth } = proxyActivities<Activities>({
    // A model that cannot answer a tiny request in this time is reported unhealthy by the activity itself.
    startToCloseTimeout: '2 minutes',
    // A failed check is a result, not an error; retries only cover the circuit store being unreachable.
    retry: { initialInterval: '1s', maximumAttempts: 3 },
  });
  const reports = await Promise.all(input.modelIds.map((modelId) => checkModelHealth({ modelId })));
  return {
    checked: reports.length,
    healthy: reports.filter((report) => report.ok).map((report) => report.modelId),
    unhealthy: reports.filter((report) => !report.ok),
  };
}

// On a versioned worker a health check is pinned like every workflow (the worker's default): it
// is short, and each scheduled check starts on the build that is current then.
