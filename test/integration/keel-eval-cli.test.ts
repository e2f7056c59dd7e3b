// `keel eval run` as a child process (bin/keel.js) against a real Keel from the harness: one run of
// the agent per dataset line, each scored by Keel, a table per scorer, and the exit code CI reads —
// 0 at or above the threshold, 1 below it (or when a line could not be scored), 2 for a bad dataset.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';

const CLI = path.join(__dirname, '..', '..', 'bin', 'keel.js');
const CLI_TIMEOUT_MS = 150_000;

type CliResult = { code: number | null; stdout: string; stderr: string };

describe('keel eval run against a real Keel', () => {
  let harness: Harness;
  let home: string;
  let agent: string;

  beforeAll(async () => {
    harness = await startHarness();
    home = mkdtempSync(path.join(os.tmpdir(), 'keel-eval-'));
    const model = `eval-cli-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario({
      name: model,
      models: `${model}*`,
      rules: [
        { promptIncludes: 'France', reply: { text: 'Paris.' } },
        { promptIncludes: 'Italy', reply: { text: 'Rome.' } },
        // Wrong on purpose: the dataset expects Madrid.
        { promptIncludes: 'Spain', reply: { text: 'Lisbon.' } },
        { reply: { text: 'I do not know.' } },
      ],
    } as never);
    agent = `capitals-${ulid().toLowerCase().slice(-8)}`;
    const saved = await api(harness.apiUrl, 'POST', '/v1/agents', {
      key: harness.keys.a,
      body: { name: agent, model: `local/${model}`, tools: ['read_file'], scorers: [{ kind: 'tool_not_used', tool: 'bash' }, { kind: 'answer_regex', name: 'one-sentence', pattern: '^[^.]+\\.$' }] },
    });
    expect(saved.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  function keel(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEEL_URL: harness.apiUrl, KEEL_API_KEY: harness.keys.a },
        cwd: home,
        timeout: CLI_TIMEOUT_MS,
      }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
    });
  }

  function dataset(lines: string[]): string {
    const file = path.join(home, `dataset-${ulid()}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  const capital = (country: string, city: string) => JSON.stringify({
    input: `What is the capital of ${country}?`,
    expected: { city },
    scorers: [{ kind: 'answer_regex', name: 'capital', pattern: city }],
  });
  const capitals = () => dataset([capital('France', 'Paris'), capital('Italy', 'Rome'), '', capital('Spain', 'Madrid')]);

  it('prints a table per scorer and exits 0 when the pass rate is at or above the threshold', async () => {
    const result = await keel(['eval', 'run', capitals(), '--agent', agent, '--threshold', '0.6', '--concurrency', '3']);
    expect(result.stderr).toMatch(/line 1 run_\w+ completed: 1\/1 passed/);
    expect(result.stderr).toMatch(/line 4 run_\w+ completed: 0\/1 passed\n {2}capital: the answer "Lisbon\." does not match \/Madrid\//);
    expect(result.stdout).toMatch(/^SCORER\s+N\s+MEAN\s+PASS RATE\ncapital\s+3\s+0\.67\s+66\.7%\noverall\s+3\s+0\.67\s+66\.7%\n/);
    expect(result.stdout).toContain('pass-rate 66.7% (threshold 60.0%) over 3 cases: PASS');
    expect(result.code).toBe(0);
  }, CLI_TIMEOUT_MS);

  it('exits 1 below the threshold and prints machine-readable JSON with --json', async () => {
    const result = await keel(['eval', 'run', capitals(), '--agent', agent, '--threshold', '0.8', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      agent, cases: 3, errors: 0, metric: 'pass-rate', threshold: 0.8, passed: false, value: 0.6667,
      summary: { scorers: [{ scorer: 'capital', n: 3, mean: 0.6667, passRate: 0.6667 }], overall: { n: 3, mean: 0.6667, passRate: 0.6667 } },
    });
    expect(report.results.map((entry: { line: number; status: string; scores: Array<{ passed: boolean }> }) => [entry.line, entry.status, entry.scores.map((score) => score.passed)]))
      .toEqual([[1, 'completed', [true]], [2, 'completed', [true]], [4, 'completed', [false]]]);
    // Scored by Keel: each run holds the scores the CLI printed.
    const scores = await api(harness.apiUrl, 'GET', `/v1/runs/${report.results[2].runId}/scores`, { key: harness.keys.a });
    expect(scores.body.scores).toMatchObject([{ scorer: 'capital', passed: false, source: 'request' }]);
  }, CLI_TIMEOUT_MS);

  it("scores lines without scorers with the agent's, and holds the mean to the threshold with --metric mean", async () => {
    const file = dataset([JSON.stringify({ input: 'What is the capital of France?' }), JSON.stringify({ input: 'What is the capital of Peru?' })]);
    const passing = await keel(['eval', 'run', file, '--agent', agent, '--threshold', '1', '--metric', 'mean']);
    expect(passing.stdout).toMatch(/one-sentence\s+2\s+1\.00\s+100\.0%\ntool_not_used\s+2\s+1\.00\s+100\.0%\noverall\s+4\s+1\.00\s+100\.0%/);
    expect(passing.code).toBe(0);
    const strict = dataset([JSON.stringify({ input: 'What is the capital of France?', scorers: [{ kind: 'answer_regex', pattern: '^Paris' }, { kind: 'tool_used', tool: 'read_file' }] })]);
    const failing = await keel(['eval', 'run', strict, '--agent', agent, '--threshold', '0.6', '--metric', 'mean']);
    expect(failing.stdout).toContain('mean 0.50 (threshold 0.60) over 1 case: FAIL');
    expect(failing.code).toBe(1);
  }, CLI_TIMEOUT_MS);

  it('exits 1 when a line cannot be scored, and 2 for a dataset or option that is not right', async () => {
    const unscorable = dataset([JSON.stringify({ input: 'What is the capital of France?', scorers: [{ kind: 'answer_regex', pattern: '(' }] })]);
    const broken = await keel(['eval', 'run', unscorable, '--agent', agent]);
    expect(broken.stderr).toMatch(/line 1 run_\w+ completed: error invalid_request: /);
    expect(broken.stdout).toContain('1 not scored: FAIL');
    expect(broken.code).toBe(1);

    const missingAgent = await keel(['eval', 'run', capitals(), '--agent', `nobody-${ulid().toLowerCase().slice(-6)}`]);
    expect(missingAgent.stderr).toContain('error not_found: agent');
    expect(missingAgent.code).toBe(1);

    const badLine = await keel(['eval', 'run', dataset([capital('France', 'Paris'), '{"prompt": "no input"}']), '--agent', agent]);
    expect(badLine.stderr).toMatch(/^error dataset_file: .*line 2: /);
    expect(badLine.code).toBe(2);
    const notJson = await keel(['eval', 'run', dataset(['not json']), '--agent', agent]);
    expect(notJson.stderr).toMatch(/line 1 is not JSON/);
    expect(notJson.code).toBe(2);
    const badThreshold = await keel(['eval', 'run', capitals(), '--agent', agent, '--threshold', '80']);
    expect(badThreshold.stderr).toContain('error usage: --threshold must be a number from 0 to 1, not "80"');
    expect(badThreshold.code).toBe(2);
  }, CLI_TIMEOUT_MS);
});
