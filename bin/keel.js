#!/usr/bin/env node
// `keel`: runs the TypeScript CLI (scripts/keel.ts) in this process through tsx's require hook (tsx is
// a dependency of Keel), so `npx keel` needs no build step and Ctrl-C reaches the CLI itself.
require('tsx/cjs/api').register();
require('../scripts/keel.ts');
