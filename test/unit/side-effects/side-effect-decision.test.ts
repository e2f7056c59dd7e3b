// The decision on a call's changes: unexpected ones take the run's policy; named ones are kept.
import { decideSideEffects, describeRollback, listChanges, MAX_LISTED_PATHS, namedPaths } from '../../../core/side-effects';

const named = namedPaths({ toolName: 'bash', arguments: { command: 'echo new > named.txt' }, workspace: '/w' });
const changes = { created: ['named.txt', 'junk.tmp'], modified: [], deleted: ['notes.txt'] };

describe('deciding what unexpected changes lead to', () => {
  it('keeps named changes and applies the policy to the rest', () => {
    expect(decideSideEffects(changes, named, 'rollback')).toEqual({ unexpected: { created: ['junk.tmp'], modified: [], deleted: ['notes.txt'] }, action: 'rollback' });
    expect(decideSideEffects(changes, named, 'report').action).toBe('report');
    expect(decideSideEffects(changes, named, 'review').action).toBe('review');
  });

  it('reports instead of rolling back while background jobs run, since they may have made the changes', () => {
    const decision = decideSideEffects(changes, named, 'rollback', { runningBackgroundJobs: ['s1_0_call_server'] });
    expect(decision).toMatchObject({ action: 'report', rollbackSkipped: expect.stringContaining('s1_0_call_server') });
    expect(decideSideEffects(changes, named, 'review', { runningBackgroundJobs: ['s1_0_call_server'] }).action).toBe('review');
  });

  it('does nothing when every change was named', () => {
    expect(decideSideEffects({ created: ['named.txt'], modified: [], deleted: [] }, named, 'rollback').action).toBe('none');
  });

  it('treats every change of an unparseable command as unexpected', () => {
    const unparseable = namedPaths({ toolName: 'bash', arguments: { command: 'echo "x > named.txt' }, workspace: '/w' });
    expect(decideSideEffects({ created: ['named.txt'], modified: [], deleted: [] }, unparseable, 'report').unexpected.created).toEqual(['named.txt']);
  });

  it('caps the listed paths but keeps exact counts', () => {
    const many = Array.from({ length: MAX_LISTED_PATHS + 5 }, (_, index) => `f${index}`);
    const listed = listChanges({ created: many, modified: [], deleted: [] });
    expect(listed.created).toHaveLength(MAX_LISTED_PATHS);
    expect(listed.counts.created).toBe(MAX_LISTED_PATHS + 5);
    expect(listed.listsTruncated).toBe(true);
  });

  it('tells the model what was rolled back and how to keep such a change', () => {
    const text = describeRollback('bash', { created: ['junk.tmp'], modified: [], deleted: ['notes.txt'] }, { restored: ['notes.txt'], removed: ['junk.tmp'], failed: [] });
    expect(text).toMatch(/rolled back .* bash call .* did not name/u);
    expect(text).toContain('created (removed): junk.tmp');
    expect(text).toContain('deleted (restored): notes.txt');
    expect(text).toMatch(/name those paths explicitly/u);
  });
});
