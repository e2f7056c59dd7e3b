// The report's statistics against values known from tables, closed forms and published examples
// (Wilson's interval for 5/10, Student's t quantiles, Welch's test on Wikipedia's first example).
import {
  describeSample, meanInterval, normalCdf, studentQuantile, studentTwoSidedPValue, twoProportionZTest, welchTTest, wilsonInterval,
} from '../../../../core/experiments';

describe('experiment statistics', () => {
  it('gives the standard normal distribution function at tabled points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(2 * normalCdf(-1)).toBeCloseTo(0.3173105, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });

  it("gives Student's t tail probabilities that match their closed forms", () => {
    // One degree of freedom is the Cauchy distribution: P(|T| ≥ 1) = 1/2.
    expect(studentTwoSidedPValue(1, 1)).toBeCloseTo(0.5, 10);
    // Two degrees of freedom: P(|T| ≥ t) = 1 - t / √(2 + t²).
    expect(studentTwoSidedPValue(2, 2)).toBeCloseTo(1 - 2 / Math.sqrt(6), 10);
    expect(studentTwoSidedPValue(2.228138851986, 10)).toBeCloseTo(0.05, 8);
  });

  it("finds Student's t quantiles from the tables", () => {
    expect(studentQuantile(0.95, 1)).toBeCloseTo(12.7062, 3);
    expect(studentQuantile(0.95, 9)).toBeCloseTo(2.262157, 5);
    expect(studentQuantile(0.95, 29)).toBeCloseTo(2.045230, 5);
    expect(studentQuantile(0.95, 100_000)).toBeCloseTo(1.959964, 4);
  });

  it("gives Wilson's interval for 5 of 10 and keeps 0 and 10 of 10 inside [0, 1]", () => {
    const half = wilsonInterval(5, 10);
    expect(half?.low).toBeCloseTo(0.2366, 4);
    expect(half?.high).toBeCloseTo(0.7634, 4);
    // At 0 successes the upper bound is z² / (n + z²).
    const none = wilsonInterval(0, 10);
    expect(none?.low).toBe(0);
    expect(none?.high).toBeCloseTo(3.841459 / 13.841459, 6);
    const all = wilsonInterval(10, 10);
    expect(all?.high).toBe(1);
    expect(all?.low).toBeCloseTo(1 - 3.841459 / 13.841459, 6);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('gives a mean interval of mean ± t·s/√n and none for a single value', () => {
    const sample = describeSample([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(sample.mean).toBe(5);
    expect(sample.variance).toBeCloseTo(32 / 7, 10);
    const interval = meanInterval(sample);
    const half = 2.364624 * Math.sqrt(32 / 7 / 8);
    expect(interval?.low).toBeCloseTo(5 - half, 4);
    expect(interval?.high).toBeCloseTo(5 + half, 4);
    expect(meanInterval(describeSample([3]))).toBeNull();
  });

  it('tests two proportions with the pooled z-test (45/100 against 60/100: z 2.124, p 0.0337)', () => {
    const test = twoProportionZTest({ successes: 45, trials: 100 }, { successes: 60, trials: 100 });
    expect(test?.statistic).toBeCloseTo(2.12398, 4);
    expect(test?.pValue).toBeCloseTo(0.033672, 5);
    expect(twoProportionZTest({ successes: 10, trials: 10 }, { successes: 5, trials: 5 })).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 5, trials: 5 })).toBeNull();
  });

  it("reproduces Welch's test on Wikipedia's first example (t 2.46, df 25.0, p 0.021)", () => {
    const a = describeSample([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]);
    const b = describeSample([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]);
    const test = welchTTest(a, b);
    expect(test?.statistic).toBeCloseTo(2.4554, 3);
    expect(test?.degrees).toBeCloseTo(24.99, 2);
    expect(test?.pValue).toBeCloseTo(0.021, 3);
  });

  it("calls identical constant samples no difference and different constant samples certain", () => {
    expect(welchTTest(describeSample([1, 1, 1]), describeSample([1, 1]))).toEqual({ statistic: null, pValue: 1, degrees: null });
    expect(welchTTest(describeSample([1, 1, 1]), describeSample([2, 2]))?.pValue).toBe(0);
    expect(welchTTest(describeSample([1]), describeSample([2, 3]))).toBeNull();
  });
});
