// Run events become bounded series: fallbacks, failures, resets, refusals and reviews are counted
// by model, provider and tool, with families and invented tool names folded into one label.
import { ModelCatalog } from '../../../core/model-catalog';
import { KeelMetrics, MetricLabels, RunEventMetrics } from '../../../runtime/metrics';
import { parseMetrics, total } from '../../support/metrics-text';

const catalog = new ModelCatalog([
  { id: 'primary-a', provider: 'openai', model: 'a' },
  { id: 'backup-b', provider: 'anthropic', model: 'b' },
  { id: 'ollama/*', provider: 'openai', model: '*' },
]);

function setUp() {
  const metrics = new KeelMetrics('worker', { defaultMetrics: false });
  return { metrics, observer: new RunEventMetrics(metrics, new MetricLabels(catalog)) };
}

const read = async (metrics: KeelMetrics) => parseMetrics(await metrics.registry.metrics());

describe('run events as metrics', () => {
  it('counts a fallback when a step starts on another model after a failure', async () => {
    const { metrics, observer } = setUp();
    observer.recording('run_1', [{ type: 'model-call.started', data: { step: 1, model: 'primary-a' } }]);
    observer.recorded('run_1', 't1', { type: 'model-call.failed', data: { step: 1, model: 'primary-a', failureType: 'ModelUnavailable' } });
    observer.recorded('run_1', 't1', { type: 'stream.reset', data: { step: 1, model: 'primary-a' } });
    observer.recording('run_1', [{ type: 'model-call.started', data: { step: 1, model: 'backup-b' } }]);
    const samples = await read(metrics);
    expect(total(samples, 'keel_model_fallbacks_total', { model: 'primary-a' })).toBe(1);
    expect(total(samples, 'keel_model_errors_total', { model: 'primary-a', provider: 'openai', failure_type: 'ModelUnavailable' })).toBe(1);
    expect(total(samples, 'keel_model_calls_total', { outcome: 'error' })).toBe(1);
    expect(total(samples, 'keel_stream_resets_total', { model: 'primary-a' })).toBe(1);
  });

  it('does not count a retry on the same model as a fallback', async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'model-call.failed', data: { step: 2, model: 'primary-a', failureType: 'ModelRateLimited' } });
    observer.recording('run_1', [{ type: 'model-call.started', data: { step: 2, model: 'primary-a' } }]);
    expect(total(await read(metrics), 'keel_model_fallbacks_total')).toBe(0);
  });

  it('labels a family member by its family and an invented tool as unknown', async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'model-call.finished', data: { step: 1, model: 'ollama/llama3.1-run-specific', latencyMs: 1200, costUsd: 0.5, usage: { inputTokens: 10, outputTokens: 4 } } });
    observer.recorded('run_1', 't1', { type: 'tool-call.finished', data: { step: 1, toolName: 'made_up_tool', isError: true, durationMs: 3 } });
    const samples = await read(metrics);
    expect(total(samples, 'keel_model_calls_total', { model: 'ollama/*', provider: 'openai', outcome: 'ok' })).toBe(1);
    expect(total(samples, 'keel_model_cost_usd_total', { model: 'ollama/*', tenant: 't1' })).toBe(0.5);
    expect(total(samples, 'keel_model_tokens_total', { direction: 'output' })).toBe(4);
    expect(total(samples, 'keel_tool_calls_total', { tool: 'unknown', outcome: 'error', verdict: 'allow' })).toBe(1);
  });

  it('labels the tokens and cost of a step by purpose step, and of a call outside a step by its own purpose', async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'model-call.finished', data: { step: 1, model: 'primary-a', costUsd: 0.25, usage: { inputTokens: 10, outputTokens: 4 } } });
    observer.usageRecorded({ tenantId: 't1', purpose: 'reflection', model: 'backup-b', usage: { inputTokens: 7, outputTokens: 3 }, costUsd: 0.125 });
    observer.usageRecorded({ tenantId: 'platform', purpose: 'health', model: 'primary-a', usage: { inputTokens: 2, outputTokens: 1 }, costUsd: null });
    const samples = await read(metrics);
    expect(total(samples, 'keel_model_cost_usd_total', { tenant: 't1', purpose: 'step' })).toBe(0.25);
    expect(total(samples, 'keel_model_cost_usd_total', { model: 'backup-b', provider: 'anthropic', tenant: 't1', purpose: 'reflection' })).toBe(0.125);
    expect(total(samples, 'keel_model_tokens_total', { direction: 'input', purpose: 'reflection' })).toBe(7);
    expect(total(samples, 'keel_model_tokens_total', { direction: 'output', purpose: 'health' })).toBe(1);
    expect(total(samples, 'keel_model_cost_usd_total', { purpose: 'health' })).toBe(0);
  });

  it('counts a call the safety policy denied as refused, not as an error', async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'tool-call.finished', data: { step: 1, toolName: 'bash', isError: true, durationMs: 0, safety: { verdict: 'deny', risk: 'critical' } } });
    observer.recorded('run_1', 't1', { type: 'tool-call.prediction-mismatch', data: { step: 1, toolName: 'write_file' } });
    const samples = await read(metrics);
    expect(total(samples, 'keel_tool_calls_total', { tool: 'bash', outcome: 'refused', verdict: 'deny' })).toBe(1);
    expect(total(samples, 'keel_tool_refusals_total', { tool: 'bash', reason: 'safety-policy' })).toBe(1);
    expect(total(samples, 'keel_tool_refusals_total', { tool: 'write_file', reason: 'prediction-mismatch' })).toBe(1);
  });

  it("subtracts the model call and the tools from a step's time for its overhead", async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'model-call.finished', data: { step: 3, model: 'primary-a', latencyMs: 800 } });
    observer.recorded('run_1', 't1', { type: 'tool-call.finished', data: { step: 3, toolName: 'bash', durationMs: 150 } });
    observer.stepFinished({ runId: 'run_1', step: 3, modelId: 'primary-a' }, { kind: 'tool-calls', durationMs: 1000 });
    const samples = await read(metrics);
    expect(total(samples, 'keel_step_overhead_seconds_sum', { model: 'primary-a' })).toBeCloseTo(0.05, 5);
    expect(total(samples, 'keel_step_duration_seconds_sum')).toBeCloseTo(1, 5);
    expect(total(samples, 'keel_steps_total', { kind: 'tool-calls' })).toBe(1);
  });

  it('counts runs by tenant and status, and reviews by kind', async () => {
    const { metrics, observer } = setUp();
    observer.recorded('run_1', 't1', { type: 'run.started', data: {} });
    observer.recorded('run_1', 't1', { type: 'review.requested', data: { kind: 'tool-call' } });
    observer.recorded('run_1', 't1', { type: 'review.expired', data: { kind: 'tool-call' } });
    observer.recorded('run_1', 't1', { type: 'run.budget-exceeded', data: {} });
    const samples = await read(metrics);
    expect(total(samples, 'keel_runs_started_total', { tenant: 't1' })).toBe(1);
    expect(total(samples, 'keel_runs_finished_total', { tenant: 't1', status: 'budget_exceeded' })).toBe(1);
    expect(total(samples, 'keel_reviews_requested_total', { kind: 'tool-call' })).toBe(1);
    expect(total(samples, 'keel_reviews_decided_total', { kind: 'tool-call', action: 'expired' })).toBe(1);
  });
});
