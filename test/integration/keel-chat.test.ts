// `keel chat` driven through a pseudo-terminal (util-linux `script`) against a real Keel, the way a
// person types: a conversation whose later turns know the earlier ones, a tool call that waits for
// review and is edited, another approved, a multi-line message, and /help, /history, /stats, /exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const SCRIPT = '/usr/bin/script';
const WAIT_MS = 60_000;
const REVIEW_EVERYTHING = { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } }, outcomePrediction: false };

/** The terminal's output so far, and a way to wait until some text appears after a mark. */
class Terminal {
  output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(command: string, environment: Record<string, string>) {
    // With a pseudo-terminal when `script` is there; piped stdin otherwise (the chat reads lines either way).
    this.child = existsSync(SCRIPT)
      ? spawn(SCRIPT, ['-qfec', command, '/dev/null'], { env: environment })
      : spawn('/bin/sh', ['-c', command], { env: environment });
    this.child.stdout?.on('data', (chunk: Buffer) => { this.output += chunk.toString().replace(/\r/g, ''); });
    this.child.stderr?.on('data', (chunk: Buffer) => { this.output += chunk.toString(); });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  type(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Resolves with the output after `from` once it contains `text`. */
  async waitFor(text: string, from = 0): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    while (!this.output.slice(from).includes(text)) {
      if (Date.now() > deadline) throw new Error(`"${text}" did not appear; output so far:\n${this.output.slice(from)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.output.slice(from);
  }
}

describe('keel chat in a terminal', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('holds a conversation with reviews prompted inline, multi-line input and the slash commands', async () => {
    const model = `chat-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { promptIncludes: 'The user now says:\nPlease write notes.txt', turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'draft\n' } }] } },
        { promptIncludes: 'The user now says:\nPlease write notes.txt', reply: { text: 'Wrote notes.txt.' } },
        { promptIncludes: 'The user now says:\nAnd more.txt', turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'more.txt', content: 'more\n' } }] } },
        { promptIncludes: 'The user now says:\nAnd more.txt', reply: { text: 'Wrote more.txt too.' } },
        { promptIncludes: 'The user now says:\nTake your time', reply: { delayMs: 30_000, text: 'Too late.' } },
        { promptIncludes: 'first line\nsecond line', reply: { text: 'Got your two lines.' } },
        { promptIncludes: 'Hello there', reply: { text: 'Hi! How can I help?' } },
      ],
    } as never);
    const agent = `chat-${ulid().toLowerCase().slice(-8)}`;
    expect((await api(harness.apiUrl, 'POST', '/v1/agents', { key: harness.keys.a, body: { name: agent, model: `local/${model}`, tools: ['write_file', 'read_file'], policy: REVIEW_EVERYTHING } })).status).toBe(201);

    const home = mkdtempSync(path.join(os.tmpdir(), 'keel-chat-'));
    const terminal = new Terminal(`'${process.execPath}' '${CLI}' chat --agent ${agent}`, {
      PATH: process.env.PATH ?? '', HOME: home, TERM: 'dumb', KEEL_URL: harness.apiUrl, KEEL_API_KEY: harness.keys.a,
    });
    await converse(terminal).catch((error: unknown) => {
      terminal.stop();
      throw error;
    });
    expect(await terminal.exited).toBe(0);

    // The edit and the approval reached the runs' workspaces.
    const runIds = [...terminal.output.matchAll(/keel \((run_[0-9A-Z]{26}), completed\)/g)].map((match) => match[1]!);
    expect(runIds).toHaveLength(4);
    const workspace = (runId: string) => path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId);
    expect(readFileSync(path.join(workspace(runIds[1]!), 'notes.txt'), 'utf8')).toBe('edited in chat\n');
    expect(readFileSync(path.join(workspace(runIds[2]!), 'more.txt'), 'utf8')).toBe('more\n');
  }, 180_000);
});

async function converse(terminal: Terminal): Promise<void> {
  await terminal.waitFor('you> ');
  terminal.type('/help');
  await terminal.waitFor('/cancel    cancel the run in progress');

  let mark = terminal.output.length;
  terminal.type('Hello there');
  await terminal.waitFor('Hi! How can I help?', mark);
  await terminal.waitFor('you> ', mark);

  // The second turn carries the first (the scenario only answers when it does); its call waits for review.
  mark = terminal.output.length;
  terminal.type('Please write notes.txt');
  await terminal.waitFor('approve, reject or edit? [a/r/e]', mark);
  terminal.type('e');
  await terminal.waitFor('the arguments as a JSON object:', mark);
  terminal.type('{"path": "notes.txt", "content": "edited in chat\\n"}');
  await terminal.waitFor('Wrote notes.txt.', mark);
  await terminal.waitFor('you> ', mark);

  mark = terminal.output.length;
  terminal.type('And more.txt');
  await terminal.waitFor('approve, reject or edit? [a/r/e]', mark);
  terminal.type('a');
  await terminal.waitFor('Wrote more.txt too.', mark);
  await terminal.waitFor('you> ', mark);

  mark = terminal.output.length;
  terminal.type('first line\\');
  await terminal.waitFor('...> ', mark);
  terminal.type('second line');
  await terminal.waitFor('Got your two lines.', mark);
  await terminal.waitFor('you> ', mark);

  // /cancel while a (slow) run works: the run ends cancelled and the chat goes on.
  mark = terminal.output.length;
  terminal.type('Take your time');
  terminal.type('/cancel');
  await terminal.waitFor('cancelling run_', mark);
  await terminal.waitFor('ended cancelled', mark);
  await terminal.waitFor('you> ', mark);

  mark = terminal.output.length;
  terminal.type('/history');
  const history = await terminal.waitFor('you: first line', mark);
  expect(history).toContain('you: Hello there');
  expect(history).toMatch(/keel \(run_[0-9A-Z]{26}, completed\): Wrote notes\.txt\./);
  mark = terminal.output.length;
  terminal.type('/stats');
  const stats = await terminal.waitFor('this chat: 5 runs', mark);
  expect(stats).toMatch(/last run run_[0-9A-Z]{26}: cancelled, \d+ steps/);
  terminal.type('/exit');
  await terminal.waitFor('bye');
}
