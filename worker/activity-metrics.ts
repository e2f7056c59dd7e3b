// Queue lag and activity time for every activity, measured around it by a worker interceptor (so
// no activity carries a line for it): schedule-to-start is the time from the attempt being
// scheduled to this worker starting it, from the activity's `Context.info`.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { KeelMetrics } from '../runtime/metrics';

export function activityMetricsInterceptor(metrics: KeelMetrics): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const { activityType, isLocal, currentAttemptScheduledTimestampMs } = context.info;
        const lagSeconds = Math.max(0, Date.now() - currentAttemptScheduledTimestampMs) / 1000;
        metrics.activityScheduleToStart.observe({ activity: activityType, local: String(isLocal) }, lagSeconds);
        const stop = metrics.activityDuration.startTimer({ activity: activityType });
        try {
          const result = await next(input);
          stop({ outcome: 'ok' });
          return result;
        } catch (error) {
          stop({ outcome: 'error' });
          throw error;
        }
      },
    },
  });
}
