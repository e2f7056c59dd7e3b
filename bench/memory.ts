// `npm run bench:memory [-- --quick]`: recall latency (p50/p99) and recall@5 of the pgvector HNSW
// index against exact brute-force search, on embedded PGlite with the local lexical embedder, at
// 10k and 100k notes (`--quick`: 1k). One tenant holds every note (the index's worst case). Writes
// bench/results/memory.json (or --output=).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { DEFAULT_MEMORY_SETTINGS, dot, type Note } from '../core/memory';
import { LocalEmbedder } from '../providers/embeddings';
import { openDatabase } from '../stores/database';
import { applyMigrations } from '../stores/migrate';
import { DEFAULT_EF_SEARCH, ensurePgvector, PostgresNotesStore, SemanticMemory } from '../stores/notes';
import { noteEmbeddings, notes, tenants } from '../stores/schema';
import { buildCorpus, buildQueries } from './support/memory-corpus';
import { percentile, round } from './support/stats';

const QUICK = process.argv.includes('--quick');
const OUTPUT = process.argv.find((argument) => argument.startsWith('--output='))?.slice('--output='.length)
  ?? path.join(__dirname, 'results', QUICK ? 'memory-quick.json' : 'memory.json');
const SIZES = QUICK ? [1_000] : (process.argv.find((argument) => argument.startsWith('--sizes='))?.slice('--sizes='.length).split(',').map(Number) ?? [10_000, 100_000]);
const QUERIES = QUICK ? 50 : 200;
const WARMUP = 10;
const DIMENSIONS = 384;
const BATCH = 500;
const TENANT = 'bench_tenant';
const USER = 'bench_user';

type SizeResult = {
  notes: number;
  /** Whether the planner chose the HNSW index (small tenants are scanned and sorted exactly instead). */
  usesHnsw: boolean;
  insertSeconds: number;
  indexBuildSeconds: number;
  queries: number;
  recallAt5: number;
  recallAt20: number;
  /** The store's vector search for 20 candidates (HNSW, tenant and user filters). */
  searchMs: { p50: number; p99: number };
  /** The whole read path: embed the query, search 20 candidates, rerank, top 5. */
  recallMs: { p50: number; p99: number };
  /** Exact top-5 by brute force over every vector in process (the recall reference). */
  bruteForceMs: { p50: number; p99: number };
};

async function measure(size: number): Promise<SizeResult> {
  const embedder = new LocalEmbedder(DIMENSIONS);
  const database = await openDatabase({ pgliteDir: 'memory://' });
  await applyMigrations(database);
  const { db } = database;
  await db.insert(tenants).values({ id: TENANT, name: 'bench' });

  const corpus = buildCorpus(size);
  const vectors = corpus.map((text) => embedder.embedOne(text));
  const ids = corpus.map((_, index) => `note_${index.toString().padStart(8, '0')}`);
  const insertStarted = performance.now();
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let start = 0; start < size; start += BATCH) {
    const rows = corpus.slice(start, start + BATCH).map((content, offset) => {
      const index = start + offset;
      const at = new Date(base + index * 60_000);
      return {
        id: ids[index]!, tenantId: TENANT, userId: USER, category: 'general', content, importance: 0.5,
        embedding: vectors[index]!, embeddingModel: embedder.model, createdAt: at, updatedAt: at,
      };
    });
    await db.insert(notes).values(rows);
    await db.insert(noteEmbeddings).values(rows.map((row) => ({ noteId: row.id, tenantId: TENANT, dimensions: DIMENSIONS, embedding: row.embedding })));
    if ((start + BATCH) % Math.max(BATCH, size / 10) === 0) console.log(`  ${size}: inserted ${start + BATCH} notes in ${round((performance.now() - insertStarted) / 1000, 1)} s`);
  }
  const insertSeconds = (performance.now() - insertStarted) / 1000;

  // Built once, after the bulk load (faster than growing it row by row).
  const buildStarted = performance.now();
  await db.execute(sql.raw(`SET maintenance_work_mem = '512MB'`));
  const status = await ensurePgvector(db, DIMENSIONS);
  if (!status.available) throw new Error(`pgvector unavailable on PGlite: ${status.detail}`);
  const indexBuildSeconds = (performance.now() - buildStarted) / 1000;
  console.log(`  ${size}: HNSW index built in ${round(indexBuildSeconds, 1)} s`);
  await db.execute(sql`ANALYZE notes`);
  await db.execute(sql`ANALYZE note_embeddings`);

  const store = new PostgresNotesStore(db, { mode: 'pgvector', singleSession: true });
  const now = new Date(base + size * 60_000);
  const memory = new SemanticMemory(store, embedder, DEFAULT_MEMORY_SETTINGS, () => now);
  const queries = buildQueries(corpus, QUERIES + WARMUP);
  const filter = { tenantId: TENANT, userId: USER, now };
  // The store's query shape: does the planner walk the HNSW index or scan the tenant and sort?
  const literal = `'[${vectors[0]!.join(',')}]'::vector(${DIMENSIONS})`;
  const plan = await db.execute(sql.raw(`EXPLAIN SELECT n.id FROM note_embeddings e JOIN notes n ON n.id = e.note_id
    WHERE e.tenant_id = '${TENANT}' AND e.dimensions = ${DIMENSIONS} AND n.embedding_model = '${embedder.model}' AND n.tenant_id = '${TENANT}'
      AND n.deleted_at IS NULL AND n.user_id = '${USER}' AND n.superseded_by IS NULL AND (n.expires_at IS NULL OR n.expires_at > now())
    ORDER BY e.embedding::vector(${DIMENSIONS}) <=> ${literal} LIMIT 20`));
  const planText = ((plan as { rows: Array<Record<string, string>> }).rows).map((row) => Object.values(row)[0]).join('\n');
  const usesHnsw = planText.includes('note_embeddings_hnsw');

  const searchMs: number[] = [];
  const recallMs: number[] = [];
  const bruteMs: number[] = [];
  let overlap5 = 0;
  let overlap20 = 0;
  for (const [index, query] of queries.entries()) {
    const measured = index >= WARMUP;
    const vector = embedder.embedOne(query);
    let started = performance.now();
    const found = await store.search(filter, vector, embedder.model, 20);
    const searchTime = performance.now() - started;
    started = performance.now();
    await memory.search({ ...filter, query, limit: 5 });
    const recallTime = performance.now() - started;
    started = performance.now();
    const exact = exactTop(vectors, vector, 20);
    const bruteTime = performance.now() - started;
    if (!measured) continue;
    searchMs.push(searchTime);
    recallMs.push(recallTime);
    bruteMs.push(bruteTime);
    const foundIds = found.map((hit: { note: Note }) => hit.note.id);
    overlap5 += exact.slice(0, 5).filter((position) => foundIds.slice(0, 5).includes(ids[position]!)).length / 5;
    overlap20 += exact.filter((position) => foundIds.includes(ids[position]!)).length / 20;
  }
  await database.close();
  const summary = (samples: number[]) => ({ p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)) });
  return {
    notes: size, usesHnsw, insertSeconds: round(insertSeconds, 1), indexBuildSeconds: round(indexBuildSeconds, 1), queries: QUERIES,
    recallAt5: round(overlap5 / QUERIES, 3), recallAt20: round(overlap20 / QUERIES, 3),
    searchMs: summary(searchMs), recallMs: summary(recallMs), bruteForceMs: summary(bruteMs),
  };
}

/** Positions of the `k` most similar vectors (all unit length, so the dot product is the cosine). */
function exactTop(vectors: readonly number[][], query: readonly number[], k: number): number[] {
  const scored = vectors.map((vector, position) => ({ position, score: dot(vector, query) }));
  scored.sort((left, right) => right.score - left.score);
  return scored.slice(0, k).map((entry) => entry.position);
}

async function main(): Promise<void> {
  const runs: SizeResult[] = [];
  for (const size of SIZES) {
    const started = Date.now();
    const result = await measure(size);
    runs.push(result);
    console.log(`${size} notes (${result.usesHnsw ? 'HNSW' : 'exact scan chosen by the planner'}): recall@5 ${result.recallAt5}, search p50 ${result.searchMs.p50} ms p99 ${result.searchMs.p99} ms, `
      + `read path p50 ${result.recallMs.p50} ms, brute force p50 ${result.bruteForceMs.p50} ms; insert ${result.insertSeconds} s, index ${result.indexBuildSeconds} s (${Math.round((Date.now() - started) / 1000)} s total)`);
  }
  const results = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    store: 'pgvector 0.8.0 on PGlite (WASM, in memory), HNSW m=16 ef_construction=64, cosine',
    efSearch: DEFAULT_EF_SEARCH,
    embedder: `local lexical ${DIMENSIONS}-d (not semantic)`,
    quick: QUICK,
    runs,
  };
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${OUTPUT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
