// read_tool_output pages through a stored output by reference, confined to the run that made it.
import { outputPage, readToolOutputTool, OUTPUT_PAGE_CHARACTERS } from '../../../tools/read-tool-output';
import type { ToolOutputsPort } from '../../../tools/types';
import { createContext, createSandbox, type Sandbox } from './tool-context';

const big = Array.from({ length: 1000 }, (_, index) => `line ${index + 1} of the report`).join('\n');

const outputs: ToolOutputsPort = {
  async readOutput(scope, reference) {
    return scope.tenantId === 'tenant_test' && scope.runId === 'run_test' && reference === 's1_0_call_1' ? { toolName: 'bash', output: big } : undefined;
  },
};

describe('read_tool_output', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox.cleanup();
  });

  it('returns a page of the stored output and says where the next one starts', async () => {
    const result = await readToolOutputTool.run({ reference: 's1_0_call_1' }, createContext(sandbox, { toolOutputs: outputs }));
    expect(result.isError).toBe(false);
    expect(result.output.split('\n')[0]).toBe('[bash output ref s1_0_call_1: lines 1-200 of 1000; continue with offset 201]');
    expect(result.output).toContain('line 200 of the report');
    expect(result.output).not.toContain('line 201 of');
  });

  it('reads a further page and the end of the output', async () => {
    const context = createContext(sandbox, { toolOutputs: outputs });
    const last = await readToolOutputTool.run({ reference: 's1_0_call_1', offset: 901, limit: 500 }, context);
    expect(last.output.split('\n')[0]).toBe('[bash output ref s1_0_call_1: lines 901-1000 of 1000; end of output]');
    expect(last.output.endsWith('line 1000 of the report')).toBe(true);
  });

  it('refuses a reference from another run or tenant as unknown', async () => {
    const otherRun = await readToolOutputTool.run({ reference: 's1_0_call_1' }, createContext(sandbox, { runId: 'run_other', toolOutputs: outputs }));
    expect(otherRun).toMatchObject({ isError: true, output: 'No tool output with ref "s1_0_call_1" in this run.' });
    const otherTenant = await readToolOutputTool.run({ reference: 's1_0_call_1' }, createContext(sandbox, { tenantId: 'tenant_other', toolOutputs: outputs }));
    expect(otherTenant.isError).toBe(true);
  });

  it('stops a page at the character cap and cuts a single line longer than it', () => {
    const wide = `${'x'.repeat(OUTPUT_PAGE_CHARACTERS * 2)}\nshort`;
    const page = outputPage(wide, 1, 10);
    expect(page).toMatchObject({ firstLine: 1, lastLine: 1, totalLines: 2, lineCut: true });
    expect(page.text.length).toBe(OUTPUT_PAGE_CHARACTERS);
  });
});
