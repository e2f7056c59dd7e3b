// The dev banner's "Degraded" lines: each missing piece is named with the one command that fixes it,
// and a complete machine prints none.
import { describeDegradations } from '../../../runtime/degradations';

describe('what a running Keel lacks', () => {
  it('names a refused bash with the probe failure and the install command', () => {
    const lines = describeDegradations({ bashSandbox: { kind: 'unavailable', failure: 'no bwrap executable on PATH' }, notesStore: 'pgvector', redisUrl: 'redis://r' });
    expect(lines).toEqual([expect.stringMatching(/^bash is disabled: .*no bwrap executable on PATH.*Fix: sudo apt-get install bubblewrap/u)]);
  });

  it('warns that KEEL_UNSAFE_BASH runs commands without a sandbox', () => {
    expect(describeDegradations({ bashSandbox: { kind: 'unsafe' }, notesStore: 'pgvector', redisUrl: 'redis://r' })).toEqual([expect.stringContaining('WITHOUT a sandbox')]);
  });

  it('names missing pgvector and missing Redis with their fixes', () => {
    const lines = describeDegradations({ bashSandbox: { kind: 'bubblewrap', bwrapPath: '/usr/bin/bwrap' }, notesStore: 'exact' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/pgvector is missing.*CREATE EXTENSION vector/u);
    expect(lines[1]).toMatch(/^no Redis: .*REDIS_URL=/u);
  });

  it('says nothing when everything is there', () => {
    expect(describeDegradations({ bashSandbox: { kind: 'bubblewrap', bwrapPath: '/usr/bin/bwrap' }, notesStore: 'pgvector', redisUrl: 'redis://r' })).toEqual([]);
  });
});
