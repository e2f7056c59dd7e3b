// The review page: a small static page that lists the tenant's pending reviews (with the key the
// reviewer types in; the page itself holds no secrets) and decides them through the review API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const PAGE = readFileSync(path.join(__dirname, '..', 'pages', 'reviews.html'), 'utf8');

export function reviewPageRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get('/reviews', { schema: { hide: true } }, async (_request, reply) => {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PAGE);
    });
  };
}
