// One turn of `keel chat`: the message starts a run (carrying the conversation so far), its events
// stream to the terminal, and lines typed meanwhile are review decisions when a review waits
// (approve / reject / edit with new arguments), commands (/cancel, /stats), or messages to the run.
import { completedOutcome, deltaShape, reviewRequestedShape, reviewShape, runEventShape, runShape, acceptedMessageShape, type RunShape } from './api-shapes';
import type { CliIo } from './cli-io';
import type { KeelClient } from './keel-client';
import type { LineQueue } from './line-queue';
import { describeEvent } from './commands/run-command';

export type ChatTurn = { runId: string; user: string; answer?: string; status?: string };
export type TurnOptions = { model?: string; agent?: string };
/** Commands a line typed during a run may be; the chat answers them without ending the turn. */
export type DuringRunCommand = (line: string, runId: string) => Promise<boolean>;

const CONTEXT_TURNS = 10;
const CONTEXT_CHARS = 8000;

/** The new message with the earlier turns before it, so a fresh run knows the conversation. */
export function messageWithContext(turns: readonly ChatTurn[], text: string): string {
  const earlier = turns.filter((turn) => turn.answer !== undefined).slice(-CONTEXT_TURNS);
  if (earlier.length === 0) return text;
  const context = earlier.map((turn) => `User: ${turn.user}\nAssistant: ${turn.answer ?? ''}`).join('\n\n').slice(-CONTEXT_CHARS);
  return `Earlier in this conversation:\n\n${context}\n\nThe user now says:\n${text}`;
}

export class ChatSession {
  private pendingReview: { reviewId: string; summary: string; editing: boolean } | undefined;

  constructor(private readonly client: KeelClient, private readonly io: CliIo, private readonly lines: LineQueue, private readonly duringRun: DuringRunCommand) {}

  async turn(turns: readonly ChatTurn[], text: string, options: TurnOptions): Promise<ChatTurn> {
    const run = await this.client.request('POST', '/v1/runs', runShape, {
      message: messageWithContext(turns, text),
      ...(options.model !== undefined && { model: options.model }),
      ...(options.agent !== undefined && { agent: options.agent }),
    });
    const turn: ChatTurn = { runId: run.id, user: text };
    const following = new AbortController();
    const side = this.readDuringRun(run.id, following.signal);
    let streamed = false;
    try {
      streamed = await this.follow(run.id);
    } finally {
      following.abort();
      await side;
      this.pendingReview = undefined;
    }
    const finished = await this.client.request('GET', `/v1/runs/${run.id}`, runShape);
    return this.report(turn, finished, streamed);
  }

  /** Streams the run's text and tool calls; true when any text streamed. */
  private async follow(runId: string): Promise<boolean> {
    let streamed = false;
    let midLine = false;
    for await (const message of this.client.events(runId)) {
      if (message.event === 'delta') {
        const delta = deltaShape.safeParse(JSON.parse(message.data));
        if (delta.success && delta.data.kind === 'text' && delta.data.text) {
          this.io.out(delta.data.text);
          streamed = true;
          midLine = !delta.data.text.endsWith('\n');
        }
        continue;
      }
      const event = runEventShape.safeParse(JSON.parse(message.data));
      if (!event.success) continue;
      if (midLine && event.data.type !== 'model-call.finished') {
        this.io.out('\n');
        midLine = false;
      }
      if (event.data.type === 'review.requested') {
        const review = reviewRequestedShape.safeParse(event.data.data);
        if (review.success) {
          this.pendingReview = { reviewId: review.data.reviewId, summary: review.data.summary, editing: false };
          this.io.out(`⏸ review ${review.data.reviewId}: ${review.data.summary}\n  approve, reject or edit? [a/r/e] `);
        }
        continue;
      }
      const described = event.data.type === 'review.decided' || event.data.type.startsWith('tool-call.') || event.data.type === 'model-call.failed'
        ? describeEvent(event.data.type, event.data.data) : undefined;
      if (described) this.io.out(`${described}\n`);
    }
    if (midLine) this.io.out('\n');
    return streamed;
  }

  private async readDuringRun(runId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const line = await this.lines.next(signal);
      if (line === undefined) return;
      const trimmed = line.trim();
      if (this.pendingReview) await this.decide(runId, trimmed);
      else if (trimmed.startsWith('/')) {
        if (!(await this.duringRun(trimmed, runId))) this.io.out(`unknown command ${trimmed}; /help lists them\n`);
      } else if (trimmed) {
        await this.client.request('POST', `/v1/runs/${runId}/messages`, acceptedMessageShape, { text: trimmed })
          .then(() => this.io.out('(sent to the running agent)\n'), (error: Error) => this.io.out(`could not send: ${error.message}\n`));
      }
    }
  }

  /** A line answering the pending review: a/approve, r/reject [reason], e/edit then the arguments as JSON. */
  private async decide(runId: string, line: string): Promise<void> {
    const review = this.pendingReview;
    if (!review) return;
    let body: Record<string, unknown>;
    if (review.editing) {
      try {
        body = { action: 'edit', arguments: JSON.parse(line) as unknown };
      } catch {
        this.io.out('  not JSON; the arguments as a JSON object: ');
        return;
      }
    } else {
      const [word = '', ...rest] = line.split(/\s+/);
      const reason = rest.join(' ') || undefined;
      if (/^(a|approve|y|yes)$/i.test(word)) body = { action: 'approve', ...(reason && { reason }) };
      else if (/^(r|reject|n|no)$/i.test(word)) body = { action: 'reject', reason: reason ?? 'rejected in keel chat' };
      else if (/^(e|edit)$/i.test(word)) {
        review.editing = true;
        this.io.out('  the arguments as a JSON object: ');
        return;
      } else {
        this.io.out('  a (approve), r (reject, optionally with a reason) or e (edit)? ');
        return;
      }
    }
    this.pendingReview = undefined;
    try {
      const decided = await this.client.request('POST', `/v1/runs/${runId}/reviews/${review.reviewId}`, reviewShape, body);
      this.io.out(`  ${decided.status}\n`);
    } catch (error) {
      this.io.out(`  could not decide: ${(error as Error).message}\n`);
    }
  }

  private report(turn: ChatTurn, run: RunShape, streamed: boolean): ChatTurn {
    const answer = completedOutcome.safeParse(run.outcome);
    if (run.status === 'completed' && answer.success) {
      if (!streamed) this.io.out(`${answer.data.answer}\n`);
      return { ...turn, answer: answer.data.answer, status: run.status };
    }
    this.io.out(`(run ${run.id} ended ${run.status}${run.lastError ? `: ${run.lastError}` : ''})\n`);
    return { ...turn, status: run.status };
  }
}
