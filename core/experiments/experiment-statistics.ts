// The statistics of an experiment report, pure: 95% intervals (Wilson for rates, Student's t for
// means) and the tests of an arm against the baseline (two-proportion z-test, Welch's t-test).
export const CONFIDENCE_LEVEL = 0.95;
export const SIGNIFICANCE_LEVEL = 1 - CONFIDENCE_LEVEL;
/** The standard normal quantile of 0.975: a two-sided 95% interval is ±1.96 standard errors. */
export const NORMAL_QUANTILE_975 = 1.959963984540054;

export type Interval = { low: number; high: number };
export type TestResult = { statistic: number | null; pValue: number };

/** Φ(x) through erfc, whose rational approximation (W. J. Cody's form, Numerical Recipes' erfc) keeps ~1e-7 relative error in the tails. */
export function normalCdf(x: number): number {
  return 0.5 * complementaryError(-x / Math.SQRT2);
}

function complementaryError(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const tail = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? tail : 2 - tail;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients): about 15 significant digits. */
function logGamma(x: number): number {
  const coefficients = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0] ?? 1;
  for (let index = 1; index < coefficients.length; index += 1) sum += (coefficients[index] ?? 0) / (shifted + index);
  const t = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz's method). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m += 1) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + even / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + odd / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return result;
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast on this side of the mean; the other side is its mirror image.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(|T| ≥ |t|) for Student's t with `degrees` degrees of freedom (which may be fractional, as Welch's are). */
export function studentTwoSidedPValue(t: number, degrees: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedBeta(degrees / (degrees + t * t), degrees / 2, 0.5);
}

/** The t with P(|T| ≥ t) = 1 - level: the half-width of a two-sided interval in standard errors. */
export function studentQuantile(level: number, degrees: number): number {
  const tail = 1 - level;
  let low = 0;
  let high = 1;
  while (studentTwoSidedPValue(high, degrees) > tail) high *= 2;
  for (let iteration = 0; iteration < 200 && high - low > 1e-12; iteration += 1) {
    const middle = (low + high) / 2;
    if (studentTwoSidedPValue(middle, degrees) > tail) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** Wilson's score interval for `successes` of `trials`; stays inside [0, 1] and is sensible at 0 and n. */
export function wilsonInterval(successes: number, trials: number, z = NORMAL_QUANTILE_975): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 and n the bound on that side is exactly 0 or 1 (rounding would leave 1e-17 off).
  return { low: successes <= 0 ? 0 : Math.max(0, centre - half), high: successes >= trials ? 1 : Math.min(1, centre + half) };
}

export type Sample = { n: number; mean: number; variance: number };

/** n, mean and the unbiased sample variance (0 for fewer than two values). */
export function describeSample(values: readonly number[]): Sample {
  const n = values.length;
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = n < 2 ? 0 : values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

/** mean ± t(0.975, n-1)·s/√n; null below two values (no spread to estimate). */
export function meanInterval(sample: Sample, level = CONFIDENCE_LEVEL): Interval | null {
  if (sample.n < 2) return null;
  const half = studentQuantile(level, sample.n - 1) * Math.sqrt(sample.variance / sample.n);
  return { low: sample.mean - half, high: sample.mean + half };
}

/** Pooled two-proportion z-test of rate b against rate a; null when either side has no trials. */
export function twoProportionZTest(a: { successes: number; trials: number }, b: { successes: number; trials: number }): TestResult | null {
  if (a.trials <= 0 || b.trials <= 0) return null;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  // Both all-success or all-failure: the rates are equal and there is nothing to test.
  if (standardError === 0) return { statistic: 0, pValue: 1 };
  const z = (b.successes / b.trials - a.successes / a.trials) / standardError;
  return { statistic: z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

/** Welch's unequal-variance t-test of mean b against mean a (Welch–Satterthwaite degrees of freedom); null below two values a side. */
export function welchTTest(a: Sample, b: Sample): (TestResult & { degrees: number | null }) | null {
  if (a.n < 2 || b.n < 2) return null;
  const spreadA = a.variance / a.n;
  const spreadB = b.variance / b.n;
  const standardError = Math.sqrt(spreadA + spreadB);
  if (standardError === 0) {
    // No spread on either side: identical means are no difference, different ones are certain.
    return { statistic: null, pValue: a.mean === b.mean ? 1 : 0, degrees: null };
  }
  const t = (b.mean - a.mean) / standardError;
  const degrees = (spreadA + spreadB) ** 2 / (spreadA ** 2 / (a.n - 1) + spreadB ** 2 / (b.n - 1));
  return { statistic: t, pValue: Math.min(1, studentTwoSidedPValue(t, degrees)), degrees };
}
