// Per-model calibration of estimated token counts against what providers report as input tokens.
// The state is a plain JSON object (persist it, carry it across continue-as-new); updates are pure.

/** Uncalibrated ratio of a provider's count to cl100k's: Claude and MiniMax tokenizers count a little more. */
export const DEFAULT_CALIBRATION_RATIO = 1.1;

/** Estimates stay this far above the calibrated ratio, so noise between requests does not overflow. */
export const CALIBRATION_SAFETY_MARGIN = 0.05;

/**
 * Weight of the newest sample in the exponentially weighted ratio. Under-counting fails a request
 * while over-counting only wastes a little context, so the ratio rises faster than it falls.
 */
export const CALIBRATION_SMOOTHING = { rising: 0.5, falling: 0.2 } as const;

/** Samples whose ratio falls outside these bounds are errors (wrong model, cached tokens), not signal. */
export const CALIBRATION_RATIO_BOUNDS = { min: 0.5, max: 4 } as const;

export type ModelCalibration = {
  /** Exponentially weighted ratio of reported input tokens to the uncorrected cl100k count. */
  ratio: number;
  samples: number;
};

export type TokenCalibrationState = { models: Record<string, ModelCalibration> };

export function emptyCalibrationState(): TokenCalibrationState {
  return { models: {} };
}

function modelKey(modelName: string): string {
  return modelName.toLowerCase();
}

export function calibratedRatio(state: TokenCalibrationState, modelName: string): number {
  return state.models[modelKey(modelName)]?.ratio ?? DEFAULT_CALIBRATION_RATIO;
}

/** The factor estimates are multiplied by: the calibrated ratio plus the safety margin, never below it. */
export function estimateFactor(state: TokenCalibrationState, modelName: string): number {
  return calibratedRatio(state, modelName) * (1 + CALIBRATION_SAFETY_MARGIN);
}

/**
 * The state after one observation. `estimatedTokens` is what the counter estimated for the request
 * under `state` (factor included); `reportedInputTokens` is the provider's `usage.inputTokens`.
 */
export function calibrateState(
  state: TokenCalibrationState,
  modelName: string,
  estimatedTokens: number,
  reportedInputTokens: number,
): TokenCalibrationState {
  if (!(estimatedTokens > 0) || !(reportedInputTokens > 0) || !Number.isFinite(estimatedTokens + reportedInputTokens)) return state;
  const baseTokens = estimatedTokens / estimateFactor(state, modelName);
  const sample = reportedInputTokens / baseTokens;
  if (sample < CALIBRATION_RATIO_BOUNDS.min || sample > CALIBRATION_RATIO_BOUNDS.max) return state;
  const previous = state.models[modelKey(modelName)];
  // The first sample replaces the default outright; later ones are smoothed.
  const weight = previous && sample > previous.ratio ? CALIBRATION_SMOOTHING.rising : CALIBRATION_SMOOTHING.falling;
  const ratio = previous ? previous.ratio + weight * (sample - previous.ratio) : sample;
  return { models: { ...state.models, [modelKey(modelName)]: { ratio, samples: (previous?.samples ?? 0) + 1 } } };
}

/** A mutable holder around the pure state, for code that keeps one calibration per process or run. */
export type TokenCalibration = {
  calibrate(modelName: string, estimatedTokens: number, reportedInputTokens: number): void;
  factor(modelName: string): number;
  state(): TokenCalibrationState;
  /** Adds stored ratios for models this holder has not calibrated itself (its own samples are newer). */
  seed(stored: TokenCalibrationState): void;
};

export function createTokenCalibration(initial: TokenCalibrationState = emptyCalibrationState()): TokenCalibration {
  let current = initial;
  return {
    calibrate(modelName, estimatedTokens, reportedInputTokens) {
      current = calibrateState(current, modelName, estimatedTokens, reportedInputTokens);
    },
    factor: (modelName) => estimateFactor(current, modelName),
    state: () => current,
    seed(stored) {
      current = { models: { ...stored.models, ...current.models } };
    },
  };
}
