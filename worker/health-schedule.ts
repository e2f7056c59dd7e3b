// The Temporal Schedule that runs `modelHealth` every few minutes (pool file: health.intervalMinutes).
// Every worker upserts it when it starts: created when missing, otherwise updated to the current
// pool and interval, so deploying a new pool file is enough to change what is checked.
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../core/config';
import { modelHealth } from '../workflows/model-health';

export const HEALTH_SCHEDULE_ID = 'keel-model-health';

/** One schedule per task queue: `keel-model-health`, suffixed with the queue when it is not the default. */
export function healthScheduleId(taskQueue: string): string {
  return taskQueue === DEFAULT_TASK_QUEUE ? HEALTH_SCHEDULE_ID : `${HEALTH_SCHEDULE_ID}-${taskQueue}`;
}

export type HealthScheduleOptions = { taskQueue: string; intervalMinutes: number; modelIds: string[] };

export async function upsertHealthSchedule(client: Client, options: HealthScheduleOptions): Promise<string> {
  const scheduleId = healthScheduleId(options.taskQueue);
  const spec: ScheduleSpec = { intervals: [{ every: Math.round(options.intervalMinutes * 60_000) }] };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: modelHealth,
    workflowId: scheduleId,
    taskQueue: options.taskQueue,
    args: [{ modelIds: options.modelIds }],
  };
  // A check still running when the next is due is not doubled up; missed checks are not caught up on.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  }
  return scheduleId;
}
