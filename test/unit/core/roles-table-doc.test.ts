// The README's roles table is the permission table of core/access/roles.ts, cell for cell: a change
// to either without the other fails here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../../core/access';

describe("the README's roles table", () => {
  it('shows exactly what each role may do', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const header = `| permission | ${ROLES.join(' | ')} |`;
    const start = readme.indexOf(header);
    expect(start).toBeGreaterThan(-1);
    const rows = readme.slice(start).split('\n').slice(2, 2 + PERMISSIONS.length);
    const expected = PERMISSIONS.map((permission) => `| \`${permission}\` | ${ROLES.map((role) => (ROLE_PERMISSIONS[role].has(permission) ? '✓' : '')).join(' | ')} |`);
    expect(rows).toEqual(expected);
  });
});
