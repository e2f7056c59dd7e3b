// A small local emulation of Pinecone's data plane (the endpoints the official SDK calls for
// upsert, query, fetch, fetch-by-metadata, update, delete and index stats), so the Pinecone notes
// store is tested through the real SDK over real HTTP. Pinecone's cloud is not reachable here:
// this is an emulation of the documented behaviour, not the service.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { cosineSimilarity } from '../../core/memory';

type MetadataValue = string | number | boolean | string[];
type StoredVector = { id: string; values: number[]; metadata?: Record<string, MetadataValue> };

export type PineconeEmulator = {
  host: string;
  apiKey: string;
  /** Paths requested so far, in order (tests check the SDK really went over HTTP). */
  requests: string[];
  namespaceSize(namespace: string): number;
  close(): Promise<void>;
};

const metadataSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));
const vectorSchema = z.object({ id: z.string().min(1), values: z.array(z.number()), metadata: metadataSchema.optional() });
const bodies = {
  upsert: z.object({ vectors: z.array(vectorSchema).min(1).max(1000), namespace: z.string().optional() }),
  query: z.object({
    namespace: z.string().optional(), topK: z.number().int().min(1).max(10_000), filter: z.record(z.string(), z.unknown()).optional(),
    includeValues: z.boolean().optional(), includeMetadata: z.boolean().optional(), vector: z.array(z.number()).optional(), id: z.string().optional(),
  }),
  fetchByMetadata: z.object({ namespace: z.string().optional(), filter: z.record(z.string(), z.unknown()), limit: z.number().int().min(1).max(10_000).optional(), paginationToken: z.string().optional() }),
  update: z.object({ id: z.string().min(1), values: z.array(z.number()).optional(), setMetadata: metadataSchema.optional(), namespace: z.string().optional() }),
  delete: z.object({ ids: z.array(z.string()).optional(), deleteAll: z.boolean().optional(), namespace: z.string().optional(), filter: z.record(z.string(), z.unknown()).optional() }),
};

export async function startPineconeEmulator(options: { dimension: number; apiKey?: string }): Promise<PineconeEmulator> {
  const apiKey = options.apiKey ?? 'pcsk_emulator';
  const namespaces = new Map<string, Map<string, StoredVector>>();
  const requests: string[] = [];
  const space = (name = '') => {
    let found = namespaces.get(name);
    if (!found) namespaces.set(name, (found = new Map()));
    return found;
  };
  const checkDimension = (values: number[]) => {
    if (values.length !== options.dimension) throw new HttpProblem(400, `Vector dimension ${values.length} does not match the dimension of the index ${options.dimension}`);
  };

  const handle = async (method: string, path: string, query: URLSearchParams, body: unknown): Promise<unknown> => {
    if (method === 'POST' && path === '/vectors/upsert') {
      const request = parse(bodies.upsert, body);
      for (const vector of request.vectors) checkDimension(vector.values);
      for (const vector of request.vectors) space(request.namespace).set(vector.id, structuredClone(vector));
      return { upsertedCount: request.vectors.length };
    }
    if (method === 'POST' && path === '/query') {
      const request = parse(bodies.query, body);
      const records = [...space(request.namespace).values()];
      const vector = request.vector ?? (request.id ? space(request.namespace).get(request.id)?.values : undefined);
      if (!vector) throw new HttpProblem(400, 'either vector or id is required');
      checkDimension(vector);
      const matches = records
        .filter((record) => matchesFilter(record.metadata ?? {}, request.filter ?? {}))
        .map((record) => ({ record, score: cosineSimilarity(vector, record.values) }))
        .sort((left, right) => right.score - left.score)
        .slice(0, request.topK)
        .map(({ record, score }) => ({
          id: record.id, score,
          ...(request.includeValues && { values: record.values }),
          ...(request.includeMetadata && record.metadata && { metadata: record.metadata }),
        }));
      return { matches, namespace: request.namespace ?? '', usage: { readUnits: 1 } };
    }
    if (method === 'GET' && path === '/vectors/fetch') {
      const namespace = query.get('namespace') ?? '';
      const vectors: Record<string, StoredVector> = {};
      for (const id of query.getAll('ids')) {
        const found = space(namespace).get(id);
        if (found) vectors[id] = found;
      }
      return { vectors, namespace, usage: { readUnits: 1 } };
    }
    if (method === 'POST' && path === '/vectors/fetch_by_metadata') {
      const request = parse(bodies.fetchByMetadata, body);
      const matching = [...space(request.namespace).values()].filter((record) => matchesFilter(record.metadata ?? {}, request.filter));
      const offset = request.paginationToken ? Number(request.paginationToken) : 0;
      const limit = request.limit ?? 100;
      const page = matching.slice(offset, offset + limit);
      const vectors = Object.fromEntries(page.map((record) => [record.id, record]));
      const next = offset + limit < matching.length ? String(offset + limit) : undefined;
      return { vectors, namespace: request.namespace ?? '', usage: { readUnits: 1 }, ...(next && { pagination: { next } }) };
    }
    if (method === 'POST' && path === '/vectors/update') {
      const request = parse(bodies.update, body);
      const found = space(request.namespace).get(request.id);
      if (!found) return { matchedRecords: 0 };
      if (request.values) {
        checkDimension(request.values);
        found.values = request.values;
      }
      if (request.setMetadata) found.metadata = { ...found.metadata, ...request.setMetadata };
      return { matchedRecords: 1 };
    }
    if (method === 'POST' && path === '/vectors/delete') {
      const request = parse(bodies.delete, body);
      const records = space(request.namespace);
      if (request.deleteAll) records.clear();
      for (const id of request.ids ?? []) records.delete(id);
      if (request.filter) for (const [id, record] of records) if (matchesFilter(record.metadata ?? {}, request.filter)) records.delete(id);
      return {};
    }
    if (method === 'POST' && path === '/describe_index_stats') {
      const summary = Object.fromEntries([...namespaces].filter(([, records]) => records.size > 0).map(([name, records]) => [name, { vectorCount: records.size }]));
      const total = [...namespaces.values()].reduce((sum, records) => sum + records.size, 0);
      return { namespaces: summary, dimension: options.dimension, indexFullness: 0, totalVectorCount: total, metric: 'cosine', vectorType: 'dense' };
    }
    throw new HttpProblem(404, `no route ${method} ${path}`);
  };

  const server = createServer((request, response) => {
    void respond(request, response);
  });
  const respond = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    requests.push(url.pathname);
    try {
      if (request.headers['api-key'] !== apiKey) throw new HttpProblem(401, 'Invalid API Key');
      const text = await readText(request);
      const answer = await handle(request.method ?? 'GET', url.pathname, url.searchParams, text ? JSON.parse(text) : undefined);
      send(response, 200, answer);
    } catch (error) {
      const status = error instanceof HttpProblem ? error.status : error instanceof SyntaxError ? 400 : 500;
      send(response, status, { code: status, message: (error as Error).message, details: [] });
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    namespaceSize: (namespace) => namespaces.get(namespace)?.size ?? 0,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Pinecone's metadata filter language: implicit equality, $eq/$ne/$gt/$gte/$lt/$lte/$in/$nin/$exists, $and/$or. */
export function matchesFilter(metadata: Record<string, MetadataValue>, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return (condition as Array<Record<string, unknown>>).every((part) => matchesFilter(metadata, part));
    if (key === '$or') return (condition as Array<Record<string, unknown>>).some((part) => matchesFilter(metadata, part));
    const value = metadata[key];
    if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return equals(value, condition);
    return Object.entries(condition as Record<string, unknown>).every(([operator, operand]) => {
      switch (operator) {
        case '$eq': return equals(value, operand);
        case '$ne': return !equals(value, operand);
        case '$gt': return typeof value === 'number' && value > (operand as number);
        case '$gte': return typeof value === 'number' && value >= (operand as number);
        case '$lt': return typeof value === 'number' && value < (operand as number);
        case '$lte': return typeof value === 'number' && value <= (operand as number);
        case '$in': return (operand as unknown[]).some((item) => equals(value, item));
        case '$nin': return !(operand as unknown[]).some((item) => equals(value, item));
        case '$exists': return (value !== undefined) === operand;
        default: throw new HttpProblem(400, `unsupported filter operator ${operator}`);
      }
    });
  });
}

/** A list-valued field matches when any of its items does, as in Pinecone. */
function equals(value: MetadataValue | undefined, operand: unknown): boolean {
  return Array.isArray(value) ? value.includes(operand as string) : value === operand;
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpProblem(400, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return result.data;
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
