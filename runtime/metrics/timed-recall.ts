// Times automatic note recall (embedding the first message and searching the notes) without a line
// in the recall code: the step's memory is this view of the shared one, whose `search` is timed.
import type { SemanticMemory } from '../../stores/notes';
import type { KeelMetrics } from './keel-metrics';

export function timedRecall(memory: SemanticMemory, metrics: KeelMetrics): SemanticMemory {
  return new Proxy(memory, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'search' || typeof value !== 'function') return value;
      return async (...parameters: Parameters<SemanticMemory['search']>) => {
        const stop = metrics.memoryRecall.startTimer();
        try {
          const found = await target.search(...parameters);
          stop({ outcome: 'ok' });
          return found;
        } catch (error) {
          stop({ outcome: 'error' });
          throw error;
        }
      };
    },
  });
}
