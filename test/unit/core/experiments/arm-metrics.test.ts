// Arms' runs folded into the report's metrics: rates over finished runs and decided reviews, means
// over the runs that have the value, the first arm as the baseline, n = 0 as nulls.
import { summariseArms, type RunObservation } from '../../../../core/experiments';

const run = (arm: string, status: string, extra: Partial<RunObservation> = {}): RunObservation => ({
  arm, status, steps: 2, tokens: 100, costUsd: 0.01, durationSeconds: 3, reviews: { approved: 0, rejected: 0, decided: 0 }, ...extra,
});

describe('arm metrics', () => {
  const arms = [{ name: 'control' }, { name: 'treatment' }];

  it('counts completion, failure and budget rates over finished runs and tests them against the first arm', () => {
    const runs = [
      ...Array.from({ length: 4 }, () => run('control', 'completed')),
      run('treatment', 'completed'), run('treatment', 'failed'), run('treatment', 'budget_exceeded'), run('treatment', 'cancelled'),
    ];
    const [control, treatment] = summariseArms(arms, runs);
    expect(control?.arm).toEqual({ name: 'control' });
    expect(control?.metrics.completionRate).toMatchObject({ n: 4, successes: 4, estimate: 1, comparison: null });
    expect(treatment?.metrics.completionRate).toMatchObject({ n: 4, successes: 1, estimate: 0.25, comparison: { test: 'two-proportion-z', difference: -0.75 } });
    expect(treatment?.metrics.failureRate).toMatchObject({ n: 4, successes: 1 });
    expect(treatment?.metrics.budgetExceededRate).toMatchObject({ n: 4, successes: 1 });
  });

  it('takes review rates over decided reviews and means over the runs that have the value', () => {
    const runs = [
      run('control', 'completed', { reviews: { approved: 2, rejected: 1, decided: 4 }, reflectionConfidence: 80 }),
      run('control', 'completed', { reflectionConfidence: 60, evalScore: 0.5 }),
      run('treatment', 'completed', { reviews: { approved: 0, rejected: 1, decided: 1 } }),
    ];
    const [control, treatment] = summariseArms(arms, runs);
    expect(control?.metrics.approvalRate).toMatchObject({ n: 4, successes: 2, estimate: 0.5 });
    expect(control?.metrics.rejectionRate).toMatchObject({ n: 4, successes: 1, estimate: 0.25 });
    expect(control?.metrics.reflectionConfidence).toMatchObject({ n: 2, estimate: 70, standardDeviation: Math.sqrt(200) });
    expect(control?.metrics.evalScore).toMatchObject({ n: 1, estimate: 0.5, interval: null });
    expect(treatment?.metrics.reflectionConfidence).toEqual({ kind: 'mean', n: 0, estimate: null, standardDeviation: null, interval: null, comparison: null });
    expect(treatment?.metrics.rejectionRate).toMatchObject({ n: 1, successes: 1, comparison: { difference: 0.75 } });
  });

  it('gives an arm with no runs n = 0 and no interval or test', () => {
    const [, treatment] = summariseArms(arms, [run('control', 'completed')]);
    expect(treatment?.metrics.completionRate).toEqual({ kind: 'rate', n: 0, successes: 0, estimate: null, interval: null, comparison: null });
    expect(treatment?.metrics.costUsd).toMatchObject({ n: 0, estimate: null, comparison: null });
  });
});
