// Writes run events to storage (durable, ordered, resumable) and then onto the live bus.
import type { DeltaEvent, NewRunEvent, RunEvent } from '../core/events';
import type { EventBus } from '../stores/event-bus';
import type { EventsRepository } from '../stores/events-repository';

export class EventRecorder {
  constructor(private readonly repository: EventsRepository, private readonly bus: EventBus) {}

  async record(runId: string, tenantId: string, events: NewRunEvent[]): Promise<RunEvent[]> {
    const stored = await this.repository.append(runId, tenantId, events);
    for (const event of stored) this.bus.publish(runId, { kind: 'event', event });
    return stored;
  }

  delta(delta: DeltaEvent): void {
    this.bus.publish(delta.runId, { kind: 'delta', delta });
  }
}
