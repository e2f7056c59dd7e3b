// `POST /v1/embeddings` in OpenAI's wire format, answered with the local lexical embedder's vectors
// (any model name; `dimensions` honoured), so the OpenAI-compatible embeddings client can be tested
// and dev mode can use the endpoint without a key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { LocalEmbedder } from '../providers/embeddings/local-embedder';
import { readBody, sendJson } from './http-io';

export const EMBEDDINGS_DEFAULT_DIMENSIONS = 384;
export const EMBEDDINGS_MAX_DIMENSIONS = 4096;
const MAX_INPUTS = 2048;

const embeddingsRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1).max(MAX_INPUTS)]),
  dimensions: z.number().int().min(1).max(EMBEDDINGS_MAX_DIMENSIONS).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

const embedders = new Map<number, LocalEmbedder>();

export async function handleEmbeddings(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let parsed: z.infer<typeof embeddingsRequest>;
  try {
    const result = embeddingsRequest.safeParse(JSON.parse(await readBody(request)));
    if (!result.success) {
      const message = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
      return sendJson(response, 400, { error: { message, type: 'invalid_request_error', param: null, code: null } });
    }
    parsed = result.data;
  } catch (error) {
    return sendJson(response, 400, { error: { message: `request body is not valid JSON: ${(error as Error).message}`, type: 'invalid_request_error', param: null, code: null } });
  }
  const inputs = typeof parsed.input === 'string' ? [parsed.input] : parsed.input;
  const dimensions = parsed.dimensions ?? EMBEDDINGS_DEFAULT_DIMENSIONS;
  let embedder = embedders.get(dimensions);
  if (!embedder) {
    embedder = new LocalEmbedder(dimensions);
    embedders.set(dimensions, embedder);
  }
  const vectors = inputs.map((text) => embedder.embedOne(text));
  const data = vectors.map((vector, index) => ({
    object: 'embedding',
    index,
    // The SDK asks for base64 by default and decodes it back to float32.
    embedding: parsed.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
  }));
  const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
  sendJson(response, 200, { object: 'list', data, model: parsed.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
