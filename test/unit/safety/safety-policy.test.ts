// The policy: defaults, partial overrides, and how the strongest finding becomes the verdict.
import { DEFAULT_SAFETY_POLICY, resolveSafetyPolicy, summarizeFindings, validateToolCall } from '../../../core/safety';
import { GUARDED_TOOL_NAMES } from '../../../core/safety';
import { TOOL_NAMES } from '../../../tools/tool-names';

describe('the safety policy', () => {
  it('maps none and low to allow, medium and high to confirm, critical to deny by default', () => {
    expect(DEFAULT_SAFETY_POLICY.riskVerdicts).toEqual({ none: 'allow', low: 'allow', medium: 'confirm', high: 'confirm', critical: 'deny' });
    expect(DEFAULT_SAFETY_POLICY.allowNetwork).toBe(false);
  });

  it('fills in defaults around a partial override', () => {
    const policy = resolveSafetyPolicy({ riskVerdicts: { high: 'deny' }, allowNetwork: true });
    expect(policy.riskVerdicts).toMatchObject({ medium: 'confirm', high: 'deny', critical: 'deny' });
    expect(policy.maxNestingDepth).toBe(DEFAULT_SAFETY_POLICY.maxNestingDepth);
  });

  it('rejects an unknown verdict', () => {
    expect(() => resolveSafetyPolicy({ riskVerdicts: { low: 'maybe' as never } })).toThrow();
  });

  it('lets the strongest finding decide, listing its reason first', () => {
    const summary = summarizeFindings(
      [
        { rule: 'a', risk: 'low', detail: 'low thing' },
        { rule: 'b', risk: 'critical', detail: 'critical thing' },
        { rule: 'c', risk: 'medium', detail: 'medium thing' },
      ],
      DEFAULT_SAFETY_POLICY,
    );
    expect(summary).toMatchObject({ verdict: 'deny', risk: 'critical' });
    expect(summary.reasons[0]).toBe('critical thing');
  });

  it('applies per-tenant overrides to the same call', () => {
    const call = { toolName: 'bash', arguments: { command: 'rm -rf .' }, workspace: '/work/ws' };
    expect(validateToolCall(call).verdict).toBe('confirm');
    expect(validateToolCall({ ...call, policy: { riskVerdicts: { high: 'deny' } } }).verdict).toBe('deny');
    expect(validateToolCall({ ...call, policy: { riskVerdicts: { high: 'allow' } } }).verdict).toBe('allow');
  });

  it('keeps an unparseable command at confirm even when the policy would allow medium risk', () => {
    const result = validateToolCall({ toolName: 'bash', arguments: { command: 'echo "oops' }, workspace: '/work/ws', policy: { riskVerdicts: { medium: 'allow' } } });
    expect(result.verdict).toBe('confirm');
  });

  it('asks about malformed arguments and unknown tools, and allows side-effect-free tools', () => {
    expect(validateToolCall({ toolName: 'read_file', arguments: { path: 3 }, workspace: '/work/ws' }).verdict).toBe('confirm');
    expect(validateToolCall({ toolName: 'launch_missiles', arguments: {}, workspace: '/work/ws' }).verdict).toBe('confirm');
    expect(validateToolCall({ toolName: 'bash_output', arguments: { job_id: 'x' }, workspace: '/work/ws' }).verdict).toBe('allow');
  });

  it('knows the same tool names as the tool registry', () => {
    expect(GUARDED_TOOL_NAMES).toEqual(TOOL_NAMES);
  });
});
