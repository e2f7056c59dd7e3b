// The agent loop as a durable workflow: one step activity per model turn (model call plus its tool
// runs), model fallback across candidates (the run's models or the pool's plan, see
// model-routing.ts), budgets, user messages, human review, answer checks, cancellation and
// continue-as-new. The loop itself is AgentLoop (agent-loop.ts); its patch ids are in patches.ts.
import type { AgentRunInput } from '../core/run-input';
import type { RunOutcome } from '../core/run-status';
import { AgentLoop } from './agent-loop';

export async function agentRun(input: AgentRunInput): Promise<RunOutcome> {
  const loop = new AgentLoop(input);
  loop.listen();
  return loop.run();
}

// On a versioned worker (KEEL_BUILD_ID) a conversation stays on the build it started on, through
// continue-as-new: the worker's default versioning behaviour is PINNED (worker/create-worker.ts).
// It is not named here with setWorkflowOptions: the server refuses every workflow task completion
// that names a behaviour from an unversioned worker, and one bundle serves both kinds.
