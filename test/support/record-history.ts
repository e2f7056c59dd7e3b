// Saves a finished run's Temporal history under test/replay/histories/ when KEEL_RECORD_HISTORIES=1
// (run `KEEL_RECORD_HISTORIES=1 npm test` after a deliberate, guarded workflow change). The JSON is
// what `temporal workflow show --output json` and the Web UI's download produce.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { findTemporalCli } from '../../scripts/temporal-cli';

/** Names the workflow code generation a history was recorded with; old generations stay and keep replaying. */
export const HISTORY_GENERATION = 'policy-checks';

export async function recordHistoryIfAsked(client: Client, workflowId: string, name: string, generation = HISTORY_GENERATION): Promise<void> {
  if (process.env.KEEL_RECORD_HISTORIES !== '1') return;
  // Waits for the run to close so the recorded history is complete.
  await client.workflow.getHandle(workflowId).result().catch(() => undefined);
  const cli = findTemporalCli();
  if (!cli) throw new Error('the Temporal CLI is needed to record histories');
  const json = execFileSync(cli, ['workflow', 'show', '--workflow-id', workflowId, '--address', process.env.TEMPORAL_ADDRESS ?? '', '--output', 'json'], { encoding: 'utf8' });
  writeFileSync(path.join(__dirname, '..', 'replay', 'histories', `${name}--${generation}.json`), json);
}
