// `keel chat`: an interactive conversation. Each message is a turn (a run that carries the
// conversation so far); reviews are asked inline; /help, /history, /stats, /cancel and /exit are
// commands; a line ending in \ or a """ block makes a multi-line message. Ends on /exit or Ctrl-D.
import { createInterface } from 'node:readline';
import { runStatsShape, runShape } from '../api-shapes';
import { ChatSession, type ChatTurn, type TurnOptions } from '../chat-session';
import type { CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';
import { LineQueue } from '../line-queue';

export type ChatOptions = TurnOptions & { input?: NodeJS.ReadableStream };

const HELP = `Type a message and press Enter. A line ending in \\ continues the message; """ on its own line starts and ends a block.
  /history   the conversation so far, with each turn's run id
  /stats     steps, tokens and cost of the last run and of the whole chat
  /cancel    cancel the run in progress
  /help      this text
  /exit      leave (or Ctrl-D)
When the agent waits for a review you are asked: a (approve), r [reason] (reject), e (edit the call's arguments as JSON).
`;

export async function chatCommand(client: KeelClient, io: CliIo, options: ChatOptions): Promise<number> {
  const readline = createInterface({ input: options.input ?? process.stdin, terminal: false });
  const lines = new LineQueue(readline);
  const turns: ChatTurn[] = [];
  const prompt = () => io.out('you> ');
  const continuation = () => io.out('...> ');

  const command = async (line: string, activeRun?: string): Promise<boolean> => {
    const [name] = line.split(/\s+/);
    switch (name) {
      case '/help':
        io.out(HELP);
        return true;
      case '/history':
        if (turns.length === 0) io.out('(no turns yet)\n');
        for (const turn of turns) io.out(`you: ${turn.user}\nkeel (${turn.runId}, ${turn.status ?? 'running'}): ${turn.answer ?? '-'}\n`);
        return true;
      case '/stats':
        await stats(client, io, turns, activeRun);
        return true;
      case '/cancel':
        if (!activeRun) io.out('no run in progress\n');
        else {
          await client.request('POST', `/v1/runs/${activeRun}/cancel`, runShape.pick({ id: true }), { reason: 'cancelled in keel chat' });
          io.out(`cancelling ${activeRun}\n`);
        }
        return true;
      default:
        return false;
    }
  };

  const session = new ChatSession(client, io, lines, (line, runId) => command(line, runId));
  io.out('keel chat: /help for commands, /exit to leave\n');
  try {
    for (;;) {
      prompt();
      const text = await lines.message(continuation);
      if (text === undefined || text.trim() === '/exit' || text.trim() === '/quit') break;
      const trimmed = text.trim();
      if (!trimmed) continue;
      if (trimmed.startsWith('/')) {
        if (!(await command(trimmed))) io.out(`unknown command ${trimmed}; /help lists them\n`);
        continue;
      }
      try {
        turns.push(await session.turn(turns, text, options));
      } catch (error) {
        io.out(`error: ${(error as Error).message}\n`);
      }
    }
  } finally {
    readline.close();
  }
  io.out('bye\n');
  return 0;
}

async function stats(client: KeelClient, io: CliIo, turns: readonly ChatTurn[], activeRun?: string): Promise<void> {
  const ids = [...turns.map((turn) => turn.runId), ...(activeRun && !turns.some((turn) => turn.runId === activeRun) ? [activeRun] : [])];
  if (ids.length === 0) {
    io.out('(no runs yet)\n');
    return;
  }
  const runs = await Promise.all(ids.map((id) => client.request('GET', `/v1/runs/${id}`, runStatsShape)));
  const last = runs.at(-1)!;
  const total = runs.reduce((sum, run) => ({
    steps: sum.steps + run.step, input: sum.input + run.usage.inputTokens, output: sum.output + run.usage.outputTokens, cost: sum.cost + (run.costUsd ?? 0),
  }), { steps: 0, input: 0, output: 0, cost: 0 });
  io.out(`last run ${last.id}: ${last.status}, ${last.step} steps, ${last.usage.inputTokens} in / ${last.usage.outputTokens} out tokens, $${(last.costUsd ?? 0).toFixed(4)}\n`);
  io.out(`this chat: ${runs.length} runs, ${total.steps} steps, ${total.input} in / ${total.output} out tokens, $${total.cost.toFixed(4)}\n`);
}
