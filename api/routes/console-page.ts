// The console (/console): a static single-page app and the browser modules it loads (its own files
// from api/console/, Preact, htm and uPlot from node_modules). It holds no data: every page reads the
// /v1 API with the key the user gives it. Only files named here are served, so no path escapes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { errorBody } from '../http-error';

const CONSOLE_DIR = path.join(__dirname, '..', 'console');

/** Browser modules from packages, under /console/vendor/<name>: [package, file in it]; the import map names them. */
const VENDOR_FILES: Record<string, [string, string]> = {
  'preact.mjs': ['preact', 'dist/preact.mjs'],
  'preact-hooks.mjs': ['preact', 'hooks/dist/hooks.mjs'],
  'htm.mjs': ['htm', 'dist/htm.mjs'],
  'uplot.mjs': ['uplot', 'dist/uPlot.esm.js'],
  'uplot.css': ['uplot', 'dist/uPlot.min.css'],
};

/** A package's folder, found from its main entry (their export maps do not expose these files). */
function packageFolder(name: string): string {
  const entry = require.resolve(name);
  const marker = `node_modules${path.sep}${name}${path.sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
};

type Asset = { body: Buffer; type: string };

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    return statSync(full).isDirectory() ? listFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of listFiles(CONSOLE_DIR)) {
    const type = CONTENT_TYPES[path.extname(file)];
    if (type && file !== 'index.html') assets.set(`assets/${file}`, { body: readFileSync(path.join(CONSOLE_DIR, file)), type });
  }
  for (const [name, [packageName, file]] of Object.entries(VENDOR_FILES)) {
    const type = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
    assets.set(`vendor/${name}`, { body: readFileSync(path.join(packageFolder(packageName), file)), type });
  }
  return assets;
}

/** The inline import map is the one inline script: the policy allows it by its hash, and nothing else inline. */
function contentSecurityPolicy(shell: string): string {
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(shell)?.[1] ?? '';
  const hash = createHash('sha256').update(importMap).digest('base64');
  return [
    "default-src 'self'", `script-src 'self' 'sha256-${hash}'`, "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
}

export function consolePageRoutes(): FastifyPluginAsync {
  const shell = readFileSync(path.join(CONSOLE_DIR, 'index.html'), 'utf8');
  const policy = contentSecurityPolicy(shell);
  const assets = loadAssets();
  return async (app) => {
    const sendShell = (reply: FastifyReply) => reply
      .type('text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').send(shell);
    app.get('/console', { schema: { hide: true } }, async (_request, reply) => sendShell(reply));
    app.get('/console/*', { schema: { hide: true } }, async (request, reply) => {
      const rest = (request.params as { '*': string })['*'];
      // Every other path is a page of the console: the shell routes it in the browser.
      if (!rest.startsWith('assets/') && !rest.startsWith('vendor/')) return sendShell(reply);
      const asset = assets.get(rest);
      if (!asset) return reply.status(404).send(errorBody('not_found', `no console file ${rest}`));
      return reply.type(asset.type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(asset.body);
    });
    // The review page is the console's reviews page now; old links keep working.
    app.get('/reviews', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/reviews'));
  };
}
