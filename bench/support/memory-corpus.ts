// A deterministic synthetic corpus for the memory benchmark: short factual notes built from word
// lists with a seeded PRNG, and queries that paraphrase some notes (a word dropped or swapped) or
// are new sentences. Lexically diverse enough that nearest neighbours are not trivial ties.

const SUBJECTS = ['the user', 'the team', 'the project', 'the staging cluster', 'the build', 'the api', 'the mobile app', 'the billing service', 'the data pipeline', 'the docs site', 'the test suite', 'the release train', 'the on-call rota', 'the design system', 'the search index', 'the auth service', 'the cache layer', 'the nightly job', 'the analytics dashboard', 'the frontend'];
const VERBS = ['prefers', 'uses', 'deploys to', 'runs on', 'depends on', 'avoids', 'migrated to', 'is moving to', 'requires', 'is tested with', 'stores data in', 'is monitored by', 'is written in', 'talks to', 'is configured with', 'reads from', 'writes to', 'is blocked by', 'is owned by', 'replaced'];
const OBJECTS = ['pnpm', 'yarn', 'postgresql', 'redis', 'kafka', 'fly.io', 'aws lambda', 'kubernetes', 'terraform', 'typescript', 'rust', 'go', 'python', 'grafana', 'prometheus', 'sentry', 'github actions', 'circleci', 'vitest', 'jest', 'playwright', 'cypress', 'tailwind', 'react', 'vue', 'svelte', 'django', 'rails', 'fastify', 'express', 'temporal', 'airflow', 'dbt', 'snowflake', 'bigquery', 's3', 'cloudflare', 'vercel', 'netlify', 'docker'];
const QUALIFIERS = ['since last spring', 'for every new service', 'in production only', 'on weekdays', 'after the outage', 'for cost reasons', 'because of latency', 'per the security review', 'until the next quarter', 'for the european region', 'with strict mode', 'behind a feature flag', 'for internal tools', 'at the customer request', 'as of version 3', 'in the monorepo', 'for batch workloads', 'with nightly backups', 'under the new contract', 'for the beta users'];

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export function noteSentence(random: () => number, index: number): string {
  // The index keeps every note distinct, as real notes mostly are.
  return `${pick(random, SUBJECTS)} ${pick(random, VERBS)} ${pick(random, OBJECTS)} ${pick(random, QUALIFIERS)}, ref ${index.toString(36)}.`;
}

export function buildCorpus(count: number, seed = 42): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => noteSentence(random, index));
}

/** Half paraphrases of corpus notes (one word dropped, one object swapped), half new sentences. */
export function buildQueries(corpus: readonly string[], count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    if (index % 2 === 1) return noteSentence(random, corpus.length + index).replace(/, ref \w+\.$/, '');
    const words = pick(random, corpus).replace(/, ref \w+\.$/, '').split(' ');
    words.splice(Math.floor(random() * words.length), 1);
    return `${words.join(' ')} ${pick(random, OBJECTS)}`;
  });
}
