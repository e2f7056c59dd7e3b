// Temporal history bytes of a run, summed over its continue-as-new chain.
import type { Client } from '@temporalio/client';

export async function historyBytes(client: Client, workflowId: string): Promise<{ bytes: number; events: number; runs: number }> {
  let bytes = 0;
  let events = 0;
  let runs = 0;
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const description = await client.workflowService.describeWorkflowExecution({
      namespace: client.options.namespace,
      execution: { workflowId, runId: execution.runId },
    });
    bytes += Number(description.workflowExecutionInfo?.historySizeBytes ?? 0);
    events += Number(description.workflowExecutionInfo?.historyLength ?? 0);
    runs += 1;
  }
  return { bytes, events, runs };
}
