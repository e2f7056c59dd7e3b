// Arm assignment: the same user always gets the same arm of an experiment, the arms' shares follow
// their weights over many users, and another experiment draws independently.
import { assignArm, assignmentPoint, stableHash } from '../../../../core/experiments';

const ARMS = [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 3 }];

describe('arm assignment', () => {
  it('gives a user the same arm every time', () => {
    for (let user = 0; user < 50; user += 1) {
      const first = assignArm('exp_1', `user-${user}`, ARMS).name;
      for (let again = 0; again < 5; again += 1) expect(assignArm('exp_1', `user-${user}`, ARMS).name).toBe(first);
    }
  });

  it('splits many users in proportion to the weights', () => {
    const users = 20_000;
    let treatment = 0;
    for (let user = 0; user < users; user += 1) if (assignArm('exp_weights', `user-${user}`, ARMS).name === 'treatment') treatment += 1;
    // 3/4 expected; five standard errors is about ±0.015.
    expect(Math.abs(treatment / users - 0.75)).toBeLessThan(0.015);
  });

  it('draws independently in another experiment', () => {
    let same = 0;
    const users = 4000;
    const even = [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }];
    for (let user = 0; user < users; user += 1) if (assignArm('exp_x', `u${user}`, even).name === assignArm('exp_y', `u${user}`, even).name) same += 1;
    expect(Math.abs(same / users - 0.5)).toBeLessThan(0.04);
  });

  it('keeps points in [0, 1) and separates ids that concatenate alike', () => {
    expect(stableHash('')).toBe(stableHash(''));
    expect(assignmentPoint('ab', 'c')).not.toBe(assignmentPoint('a', 'bc'));
    for (let user = 0; user < 1000; user += 1) {
      const point = assignmentPoint('exp', String(user));
      expect(point).toBeGreaterThanOrEqual(0);
      expect(point).toBeLessThan(1);
    }
  });

  it('never picks an arm of weight zero share beyond its range', () => {
    const single = [{ name: 'only', weight: 2 }];
    expect(assignArm('exp', 'anyone', single).name).toBe('only');
  });
});
