// Calibration: estimates for models without a published tokenizer converge on what the provider
// reports, stay above it, and live in a plain state object that survives JSON.
import {
  CALIBRATION_SAFETY_MARGIN,
  calibrateState,
  calibratedRatio,
  createTokenCalibration,
  createTokenCounter,
  DEFAULT_CALIBRATION_RATIO,
  emptyCalibrationState,
  estimateFactor,
} from '../../../core/context';
import type { Message } from '../../../core/messages';

const transcript: Message[] = [
  { type: 'user', text: 'Summarise the incident report and list the follow-up actions with owners.' },
  { type: 'assistant', parts: [{ type: 'tool-call', callId: 'c1', toolName: 'read_file', arguments: { path: 'incident.md' } }] },
  { type: 'tool-result', callId: 'c1', toolName: 'read_file', output: 'At 02:14 the primary database failed over; writes stalled for 4 minutes. '.repeat(40), isError: false },
];

describe('calibrating token estimates', () => {
  it('starts from the default ratio plus the safety margin', () => {
    expect(estimateFactor(emptyCalibrationState(), 'claude-sonnet-4-5')).toBeCloseTo(DEFAULT_CALIBRATION_RATIO * (1 + CALIBRATION_SAFETY_MARGIN));
  });

  it('converges on the reported counts and never estimates below them', () => {
    const calibration = createTokenCalibration();
    const counter = createTokenCounter('claude-sonnet-4-5', 'anthropic', { calibration });
    const base = counter.countRequest(undefined, transcript, []) / counter.factor();
    const trueRatio = 1.27;
    const estimates: number[] = [];
    for (let round = 0; round < 12; round += 1) {
      const estimate = counter.countRequest(undefined, transcript, []);
      estimates.push(estimate);
      // The provider's count wobbles by a percent either way around the true ratio.
      const reported = Math.round(base * trueRatio * (round % 2 === 0 ? 1.01 : 0.99));
      calibration.calibrate('claude-sonnet-4-5', estimate, reported);
    }
    expect(calibratedRatio(calibration.state(), 'claude-sonnet-4-5')).toBeCloseTo(trueRatio, 1);
    const finalEstimate = counter.countRequest(undefined, transcript, []);
    expect(finalEstimate).toBeGreaterThanOrEqual(base * trueRatio * 1.01);
    expect(finalEstimate).toBeLessThanOrEqual(base * trueRatio * (1 + CALIBRATION_SAFETY_MARGIN) * 1.03);
    expect(estimates[0]).toBeLessThan(base * trueRatio);
  });

  it('follows a falling ratio down, more slowly than a rising one up', () => {
    let state = calibrateState(emptyCalibrationState(), 'MiniMax-M2', 1000 * estimateFactor(emptyCalibrationState(), 'MiniMax-M2'), 1000);
    expect(calibratedRatio(state, 'MiniMax-M2')).toBeCloseTo(1, 5);
    const up = calibrateState(state, 'MiniMax-M2', 1000 * estimateFactor(state, 'MiniMax-M2'), 1200);
    const down = calibrateState(state, 'MiniMax-M2', 1000 * estimateFactor(state, 'MiniMax-M2'), 800);
    expect(calibratedRatio(up, 'MiniMax-M2') - 1).toBeGreaterThan(1 - calibratedRatio(down, 'MiniMax-M2'));
    for (let round = 0; round < 30; round += 1) state = calibrateState(state, 'MiniMax-M2', 1000 * estimateFactor(state, 'MiniMax-M2'), 900);
    expect(calibratedRatio(state, 'MiniMax-M2')).toBeCloseTo(0.9, 2);
  });

  it('keeps models apart, ignores absurd samples and survives a JSON round trip', () => {
    let state = emptyCalibrationState();
    state = calibrateState(state, 'claude-opus-4-1', 1000, 1300);
    state = calibrateState(state, 'claude-opus-4-1', 1000, 1_000_000);
    state = calibrateState(state, 'claude-opus-4-1', 0, 10);
    const restored = createTokenCalibration(JSON.parse(JSON.stringify(state)));
    expect(restored.state().models['claude-opus-4-1']?.samples).toBe(1);
    expect(restored.factor('claude-opus-4-1')).toBeCloseTo(estimateFactor(state, 'claude-opus-4-1'));
    expect(restored.factor('claude-haiku-4-5')).toBeCloseTo(estimateFactor(emptyCalibrationState(), 'claude-haiku-4-5'));
  });

  it('leaves exact counters alone', () => {
    const calibration = createTokenCalibration();
    calibration.calibrate('gpt-4o', 1000, 1500);
    expect(createTokenCounter('gpt-4o', 'openai', { calibration }).factor()).toBe(1);
  });
});
