// Model-name globs (`*` any run of characters, `?` one character) compiled once and cached,
// since every request matches its model against every scenario.

const compiled = new Map<string, RegExp>();
const MAX_CACHED_GLOBS = 10_000;

function compile(glob: string): RegExp {
  const source = glob
    .split('')
    .map((character) => {
      if (character === '*') return '.*';
      if (character === '?') return '.';
      return character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

export function matchesGlob(glob: string, name: string): boolean {
  if (!glob.includes('*') && !glob.includes('?')) return glob === name;
  let pattern = compiled.get(glob);
  if (!pattern) {
    if (compiled.size >= MAX_CACHED_GLOBS) compiled.clear();
    pattern = compile(glob);
    compiled.set(glob, pattern);
  }
  return pattern.test(name);
}

export function matchesAnyGlob(globs: string | readonly string[], name: string): boolean {
  if (typeof globs === 'string') return matchesGlob(globs, name);
  return globs.some((glob) => matchesGlob(glob, name));
}

export function globsOf(globs: string | readonly string[]): string[] {
  return typeof globs === 'string' ? [globs] : [...globs];
}
