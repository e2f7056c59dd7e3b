// The agent loop as a durable workflow: one step activity per model turn (model call plus its tool
// runs), model fallback across candidates (the run's models or the pool's plan, see
// model-routing.ts), budgets, user messages, human review, answer checks, cancellation and
// continue-as-new. The loop itself is AgentLoop (agent-loop.ts); its patch ids are in patches.ts.
import { setWorkflowOptions } from '@temporalio/workflow';
import type { AgentRunInput } from '../core/run-input';
import type { RunOutcome } from '../core/run-status';
import { AgentLoop } from './agent-loop';

export async function agentRun(input: AgentRunInput): Promise<RunOutcome> {
  const loop = new AgentLoop(input);
  loop.listen();
  return loop.run();
}

// On a versioned worker (KEEL_BUILD_ID) a conversation stays on the build it started on, through
// continue-as-new: its code never changes between steps. No command changes: replays are unaffected.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, agentRun);
