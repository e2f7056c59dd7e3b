// Writes run events to storage (durable, ordered, resumable), alone or with the rest of a step's
// writes in one statement, and then publishes them on the live bus.
import type { DeltaEvent, NewRunEvent, RunEvent } from '../../core/events';
import type { EventBus } from '../../stores/event-bus';
import type { EventsRepository } from '../../stores/events-repository';
import type { StepWriteBatch, StepWriteResult, StepWritesRepository } from '../../stores/step-writes-repository';

export class EventRecorder {
  constructor(
    private readonly repository: EventsRepository,
    private readonly writes: StepWritesRepository,
    private readonly bus: EventBus,
  ) {}

  async record(runId: string, tenantId: string, events: NewRunEvent[]): Promise<RunEvent[]> {
    const stored = await this.repository.append(runId, tenantId, events);
    this.publish(runId, stored);
    return stored;
  }

  /** Commits a batch (transcript rows, tool results, events, progress) and publishes its events. */
  async commit(runId: string, tenantId: string, batch: StepWriteBatch): Promise<StepWriteResult> {
    const result = await this.writes.commit(runId, tenantId, batch);
    this.publish(runId, result.events);
    return result;
  }

  delta(delta: DeltaEvent): void {
    this.bus.publish(delta.runId, { kind: 'delta', delta });
  }

  private publish(runId: string, events: RunEvent[]): void {
    for (const event of events) this.bus.publish(runId, { kind: 'event', event });
  }
}
