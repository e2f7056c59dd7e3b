// Reading what a request asks for from its verbs, and the conflicts between that and predicted effects.
import { effectConflicts, intentsOf } from '../../../core/judgement';

describe('request intents', () => {
  it('reads move, copy and delete verbs with their inflections', () => {
    expect(intentsOf('Move all .txt files in the workspace to backup/').wanted).toEqual(expect.arrayContaining(['move']));
    expect(intentsOf('Please copy the logs somewhere safe').wanted).toEqual(['copy']);
    expect(intentsOf('Archive last year\'s reports').wanted).toEqual(['copy']);
    expect(intentsOf('Remove the temporary files').wanted).toEqual(['delete']);
    expect(intentsOf('Renaming config.yml to config.yaml').wanted).toEqual(['move']);
  });

  it('does not read verbs in paths and file names', () => {
    expect(intentsOf('Move all .txt files in the workspace to backup/')).toEqual({ wanted: ['move'], forbidden: [] });
    expect(intentsOf('Summarise old/copy.txt and ./remove.sh')).toEqual({ wanted: [], forbidden: [] });
  });

  it('treats a negated verb as forbidden, not wanted', () => {
    const intents = intentsOf("Move the files to backup/, but don't delete anything.");
    expect(intents.forbidden).toEqual(['delete']);
    expect(intents.wanted).not.toContain('delete');
  });

  it('does not carry a negation across a sentence', () => {
    expect(intentsOf('That is not it. Delete the cache.').wanted).toContain('delete');
  });
});

describe('effect conflicts', () => {
  it('reports a delete when the request asks to move', () => {
    const conflicts = effectConflicts(intentsOf('Move all .txt files in the workspace to backup/'), ['delete']);
    expect(conflicts).toEqual([expect.objectContaining({ effect: 'delete', intent: 'move' })]);
    expect(conflicts[0]?.detail).toMatch(/would delete but the request asks to move/);
  });

  it('reports a delete when the request asks to copy', () => {
    expect(effectConflicts(intentsOf('Copy report.pdf to the shared folder'), ['delete'])).toEqual([expect.objectContaining({ effect: 'delete', intent: 'copy' })]);
  });

  it('finds no conflict when the request asks to delete and the call deletes', () => {
    expect(effectConflicts(intentsOf('Delete every .log file'), ['delete'])).toEqual([]);
  });

  it('finds no conflict when a move removes the originals as part of moving them', () => {
    expect(effectConflicts(intentsOf('Move all .txt files to backup/'), ['move', 'delete', 'create'])).toEqual([]);
  });

  it('reports doing what the request forbids', () => {
    expect(effectConflicts(intentsOf('Tidy the folder but do not delete anything'), ['delete'])).toEqual([expect.objectContaining({ effect: 'delete', intent: 'delete' })]);
  });

  it('reports a delete when the request only asks to look', () => {
    expect(effectConflicts(intentsOf('List the files in src'), ['delete'])).toEqual([expect.objectContaining({ intent: 'read' })]);
  });

  it('leaves requests without clear verbs to the model', () => {
    expect(effectConflicts(intentsOf('The build is broken, sort it out'), ['delete'])).toEqual([]);
  });
});

describe('requests that imply deleting', () => {
  it.each([['Back up the database, then reset it'], ['Clear the cache folder and copy the logs to archive/'], ['Empty the trash after moving the photos']])(
    'finds no conflict with a delete in %j',
    (request) => {
      expect(effectConflicts(intentsOf(request), ['delete'])).toEqual([]);
    },
  );
});
