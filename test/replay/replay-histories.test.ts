// Determinism: every history recorded from a real run (test/replay/histories/*.json, as written by
// `temporal workflow show --output json`) replays against the current workflow code with
// Worker.runReplayHistories. A change that breaks one needs patching or worker versioning.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';

const HISTORIES = path.join(__dirname, 'histories');

describe('replaying recorded workflow histories', () => {
  const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json')).sort();

  it('replays every recorded history without nondeterminism', async () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as unknown,
    }));
    const bundlePath = process.env.KEEL_TEST_WORKFLOW_BUNDLE;
    const options = bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../../workflows') };
    const outcomes: Record<string, string> = {};
    for await (const result of Worker.runReplayHistories(options, histories)) {
      outcomes[result.workflowId] = result.error ? `${result.error.name}: ${result.error.message}` : 'ok';
    }
    expect(outcomes).toEqual(Object.fromEntries(histories.map((history) => [history.workflowId, 'ok'])));
  });
});
