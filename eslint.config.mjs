// Lint guards Keel's boundaries (docs/architecture.md): deterministic workflows that import the
// rest as types only, core/ importing nothing but core/, api/ independent of worker/, no floating
// promises, no import cycles, and nothing importing tests. The layer patterns match at any depth
// (`**/activities/**`), so a file in a subfolder cannot slip past them.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

/** What the console's modules may use without importing: the browser's own objects. */
const BROWSER_GLOBALS = ['window', 'document', 'location', 'history', 'navigator', 'sessionStorage', 'fetch', 'Headers', 'Request', 'Response',
  'AbortController', 'TextDecoderStream', 'TextDecoder', 'URLSearchParams', 'URL', 'Event', 'CustomEvent', 'Element', 'HTMLElement', 'ResizeObserver',
  'requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'getComputedStyle', 'console'];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
/** Import patterns of one of our top-level folders, at any depth of the importing file. */
const layers = (...names) => names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);
const ioPackages = ['pg', 'ioredis', 'openai', '@anthropic-ai/sdk', 'pino', 'fastify', 'drizzle-orm', 'drizzle-orm/*', '@electric-sql/*',
  '@temporalio/activity', '@temporalio/worker', '@temporalio/client', '@temporalio/testing', 'zod', 'ulid'];

export default tseslint.config(
  // JavaScript is ignored but for the console's browser modules, which have a block of their own below.
  { ignores: ['node_modules/**', 'dist/**', '.keel/**', 'coverage/**', 'test-artifacts/**', 'stores/migrations/**', 'bench/results/**', '**/*.js', '!api/console/**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/test/**', '../test/*', '../../test/*'], message: 'Nothing imports tests.' }] }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins (use activities).' })),
        patterns: [
          { group: ioPackages, message: 'Workflows are deterministic: no I/O packages (use activities).' },
          { group: layers('activities', 'stores', 'providers', 'tools', 'api', 'worker', 'runtime', 'model-server', 'scripts', 'bench'), allowTypeImports: true, message: 'Workflows import activities and services as types only.' },
        ],
      }],
    },
  },
  {
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: layers('worker'), message: 'api/ never imports worker/.' }, { group: ['**/test/**'], message: 'Nothing imports tests.' }] }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: layers('activities', 'stores', 'providers', 'tools', 'api', 'worker', 'workflows', 'runtime', 'model-server', 'scripts', 'bench'), message: 'core/ imports nothing of ours but core/.' }] }],
    },
  },
  {
    // Tests read JSON bodies of any shape; assertions, not types, check them.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console (api/console/): browser ES modules, not Node and not TypeScript. No type-aware
    // rules (they are outside tsconfig), browser globals only, so a Node built-in or `require` fails.
    files: ['api/console/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      ecmaVersion: 2024,
      globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])),
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-undef': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...nodeBuiltins], message: 'The console runs in the browser.' }] }],
    },
  },
);
