// Writes run events to storage (durable, ordered, resumable), alone or with the rest of a step's
// writes in one statement, and then publishes them on the live bus (an `events.publish` span when tracing).
import type { DeltaEvent, NewRunEvent, RunEvent } from '../../core/events';
import type { EventBus } from '../../stores/event-bus';
import type { EventsRepository } from '../../stores/events-repository';
import type { StepWriteBatch, StepWriteResult, StepWritesRepository } from '../../stores/step-writes-repository';
import type { RunEventObserver } from '../../runtime/metrics';
import { trace } from '@opentelemetry/api';
import { spansEnabled, SPAN_ATTRIBUTES, SPAN_NAMES, TRACER_NAME } from '../../runtime/tracing';

export class EventRecorder {
  constructor(
    private readonly repository: EventsRepository,
    private readonly writes: StepWritesRepository,
    private readonly bus: EventBus,
    /** Sees what is written and streamed (the worker's metrics). */
    private readonly observer?: RunEventObserver,
  ) {}

  async record(runId: string, tenantId: string, events: NewRunEvent[]): Promise<RunEvent[]> {
    this.observer?.recording(runId, events);
    const stored = await this.repository.append(runId, tenantId, events);
    this.publish(runId, tenantId, stored.events, stored.previousId);
    return stored.events;
  }

  /** Commits a batch (transcript rows, tool results, events, progress) and publishes its events. */
  async commit(runId: string, tenantId: string, batch: StepWriteBatch): Promise<StepWriteResult> {
    if (batch.events) this.observer?.recording(runId, batch.events);
    const result = await this.writes.commit(runId, tenantId, batch);
    this.publish(runId, tenantId, result.events, result.previousEventId);
    return result;
  }

  /** Events of the run already stored under these dedupe keys (a retried attempt's view of what an earlier one did). */
  async recorded(runId: string, dedupeKeys: readonly string[]): Promise<Array<RunEvent & { dedupeKey: string }>> {
    return this.repository.findByDedupeKeys(runId, dedupeKeys);
  }

  delta(delta: DeltaEvent): void {
    this.observer?.delta(delta);
    this.bus.publish(delta.runId, { kind: 'delta', delta });
  }

  /** Each event names the one stored before it, so a stream holding that one skips a storage read. */
  private publish(runId: string, tenantId: string, events: RunEvent[], previousId: number): void {
    if (events.length === 0) return;
    if (!spansEnabled()) return this.publishAll(runId, tenantId, events, previousId);
    const span = trace.getTracer(TRACER_NAME).startSpan(SPAN_NAMES.eventsPublish, {
      attributes: { [SPAN_ATTRIBUTES.runId]: runId, [SPAN_ATTRIBUTES.eventCount]: events.length, [SPAN_ATTRIBUTES.eventTypes]: [...new Set(events.map((event) => event.type))] },
    });
    try {
      this.publishAll(runId, tenantId, events, previousId);
    } finally {
      span.end();
    }
  }

  private publishAll(runId: string, tenantId: string, events: RunEvent[], previousId: number): void {
    let previous = previousId;
    for (const event of events) {
      this.observer?.recorded(runId, tenantId, event);
      this.bus.publish(runId, { kind: 'event', event, previousId: previous });
      previous = event.id;
    }
  }
}
