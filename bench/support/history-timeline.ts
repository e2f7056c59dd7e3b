// Where a step's time goes, from a workflow history (JSON of `temporal workflow show --output json`):
// mean gap between consecutive event types across the run.
import { readFileSync } from 'node:fs';

type HistoryEvent = { eventId: string; eventTime: string; eventType: string };

export function timeline(history: { events: HistoryEvent[] }): Array<{ transition: string; count: number; meanMs: number }> {
  const gaps = new Map<string, number[]>();
  for (let index = 1; index < history.events.length; index += 1) {
    const previous = history.events[index - 1]!;
    const current = history.events[index]!;
    const key = `${previous.eventType.replace('EVENT_TYPE_', '')} → ${current.eventType.replace('EVENT_TYPE_', '')}`;
    const gap = (Date.parse(current.eventTime) - Date.parse(previous.eventTime)) + (nanos(current.eventTime) - nanos(previous.eventTime)) / 1e6;
    gaps.set(key, [...(gaps.get(key) ?? []), gap]);
  }
  return [...gaps].map(([transition, values]) => ({ transition, count: values.length, meanMs: values.reduce((a, b) => a + b, 0) / values.length }))
    .sort((a, b) => b.meanMs * b.count - a.meanMs * a.count);
}

/** Sub-millisecond part of an RFC 3339 timestamp with nanoseconds. */
function nanos(time: string): number {
  const fraction = /\.(\d+)Z$/.exec(time)?.[1] ?? '0';
  return Number(fraction.padEnd(9, '0').slice(3, 9));
}

if (require.main === module) {
  for (const row of timeline(JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')))) {
    console.log(`${row.meanMs.toFixed(2).padStart(8)} ms x ${String(row.count).padStart(4)}  ${row.transition}`);
  }
}
