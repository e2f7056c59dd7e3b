// `npm run bench:timeline`: one conversation of 5 tool steps at 2 s model latency, then
// where its time went between history events (the scale bench's single-conversation overhead).
import { ulid } from 'ulid';
import { startBenchEnvironment, userStepScenario } from './support/bench-environment';
import { timeline } from './support/history-timeline';
import { followRun } from './support/keel-client';
import { modelServerGaps } from './support/scale-ramp';

async function main(): Promise<void> {
  const environment = await startBenchEnvironment({ requestLogCapacity: 1000 });
  try {
    const name = `timeline-${ulid().toLowerCase()}`;
    environment.modelServer.addScenario(userStepScenario(name, 5, 2000));
    const since = Date.now();
    const run = await followRun(environment.keel.apiUrl, environment.keel.apiKey, { message: `timeline ${ulid()}`, model: `local/${name}`, limits: { maxSteps: 6 } });
    console.log('status', run.status, 'gaps at the model server (ms):', modelServerGaps(environment.modelServer.requests({ scenario: name }), since, 2000));
    const history = await environment.temporalClient.workflow.getHandle(run.runId).fetchHistory();
    const events = (history.events ?? []).map((event) => ({
      eventId: String(event.eventId),
      eventType: `EVENT_TYPE_${String(event.eventType)}`,
      eventTime: new Date(Number(event.eventTime?.seconds ?? 0) * 1000 + Math.round((event.eventTime?.nanos ?? 0) / 1e6)).toISOString(),
    }));
    let previous = Date.parse(events[0]!.eventTime);
    for (const event of events) {
      const at = Date.parse(event.eventTime);
      console.log(`${String(at - previous).padStart(6)} ms  ${event.eventId.padStart(3)} ${event.eventType}`);
      previous = at;
    }
    for (const row of timeline({ events }).slice(0, 8)) console.log(`${row.meanMs.toFixed(1).padStart(8)} ms x ${row.count}  ${row.transition}`);
  } finally {
    await environment.close();
  }
}

void main();
