// score.recorded events become keel_eval_scores_total by scorer kind and pass, never by the
// scorers' own (user-chosen) names.
import { ModelCatalog } from '../../../core/model-catalog';
import { KeelMetrics, MetricLabels, RunEventMetrics } from '../../../runtime/metrics';
import { parseMetrics, total } from '../../support/metrics-text';

describe('eval scores as metrics', () => {
  it('counts each recorded score by kind and whether it passed', async () => {
    const metrics = new KeelMetrics('worker', { defaultMetrics: false });
    const observer = new RunEventMetrics(metrics, new MetricLabels(new ModelCatalog([])));
    const scored = (kind: string, passed: boolean) => observer.recorded('run_1', 't1', {
      type: 'score.recorded', data: { scorer: `named-by-a-user-${kind}`, kind, score: passed ? 1 : 0, passed, reason: '', scoringId: 'live', source: 'live' },
    });
    scored('rubric', true);
    scored('rubric', false);
    scored('tool_used', false);
    scored('not-a-kind', true);
    const samples = parseMetrics(await metrics.registry.metrics());
    expect(total(samples, 'keel_eval_scores_total', { kind: 'rubric', passed: 'true' })).toBe(1);
    expect(total(samples, 'keel_eval_scores_total', { kind: 'rubric', passed: 'false' })).toBe(1);
    expect(total(samples, 'keel_eval_scores_total', { kind: 'tool_used', passed: 'false' })).toBe(1);
    expect(total(samples, 'keel_eval_scores_total')).toBe(3);
    expect(await metrics.registry.metrics()).not.toContain('named-by-a-user');
  });
});
