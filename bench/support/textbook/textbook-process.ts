// The textbook loop's worker in a process of its own, so its CPU and memory are read from /proc as
// Keel's are. Prints `TEXTBOOK_READY <json>` once it polls.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createTextbookActivities } from './textbook-activities';

async function main(): Promise<void> {
  const [address, taskQueue, modelServerUrl] = [process.env.TEMPORAL_ADDRESS, process.env.TEXTBOOK_TASK_QUEUE, process.env.KEEL_MODEL_SERVER_URL];
  if (!address || !taskQueue || !modelServerUrl) throw new Error('TEMPORAL_ADDRESS, TEXTBOOK_TASK_QUEUE and KEEL_MODEL_SERVER_URL are required');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./textbook-workflow'),
    activities: createTextbookActivities(modelServerUrl),
  });
  const running = worker.run();
  console.log(`TEXTBOOK_READY ${JSON.stringify({ pid: process.pid })}`);
  process.on('SIGTERM', () => worker.shutdown());
  await running;
  await connection.close();
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(`textbook worker failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
