// The worker's calibration: stored ratios are loaded before the first count, every reported usage
// moves the ratio, and the new ratio is written back (off the critical path).
import { DEFAULT_CALIBRATION_RATIO, createTokenCounter, type TokenCalibrationState } from '../../../core/context';
import { WorkerCalibration } from '../../../activities/model-turn/token-calibrations';

function memoryRepository(initial: TokenCalibrationState = { models: {} }) {
  const saved: Array<{ model: string; ratio: number; samples: number }> = [];
  return {
    saved,
    load: async () => initial,
    save: async (model: string, ratio: number, samples: number) => {
      saved.push({ model, ratio, samples });
    },
  };
}

describe('the worker calibration', () => {
  it('loads stored ratios so the first estimate already uses them', async () => {
    const calibration = new WorkerCalibration(memoryRepository({ models: { 'minimax-m2': { ratio: 1.3, samples: 12 } } }));
    await calibration.ready();
    const counter = createTokenCounter('MiniMax-M2', 'anthropic', { calibration: calibration.calibration });
    expect(counter.exact).toBe(false);
    expect(counter.factor()).toBeCloseTo(1.3 * 1.05, 10);
  });

  it('records the ratio from reported usage and writes it back', async () => {
    const repository = memoryRepository();
    const calibration = new WorkerCalibration(repository);
    await calibration.ready();
    const counter = createTokenCounter('claude-sonnet-4-5', 'anthropic', { calibration: calibration.calibration });
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50);
    const estimated = counter.countText(text);
    const raw = estimated / (DEFAULT_CALIBRATION_RATIO * 1.05);
    // The provider billed 25% more than cl100k counts.
    calibration.record('claude-sonnet-4-5', estimated, Math.round(raw * 1.25));
    expect(calibration.calibration.state().models['claude-sonnet-4-5']?.ratio).toBeCloseTo(1.25, 2);
    expect(counter.factor()).toBeCloseTo(1.25 * 1.05, 2);
    // Estimates stay above what the provider reports, by the kept margin.
    expect(counter.countText(text)).toBeGreaterThanOrEqual(Math.round(raw * 1.25));
    await calibration.flush();
    expect(repository.saved).toEqual([{ model: 'claude-sonnet-4-5', ratio: expect.closeTo(1.25, 2), samples: 1 }]);
  });

  it('ignores samples that cannot be right (wrong model, cache accounting)', async () => {
    const repository = memoryRepository();
    const calibration = new WorkerCalibration(repository);
    calibration.record('claude-x', 1000, 10);
    await calibration.flush();
    expect(repository.saved).toEqual([]);
  });

  it('keeps the defaults when storage cannot be read', async () => {
    const calibration = new WorkerCalibration({ load: async () => { throw new Error('down'); }, save: async () => undefined });
    await expect(calibration.ready()).resolves.toBeUndefined();
    expect(calibration.calibration.factor('claude-x')).toBeCloseTo(DEFAULT_CALIBRATION_RATIO * 1.05, 10);
  });
});
