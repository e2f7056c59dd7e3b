// `npm run api-key:ensure`: gives the default tenant the admin key in KEEL_API_KEY (created once,
// kept on later runs), so a stack started by compose has a key its operator chose before it starts.
import { ConfigError } from '../core/config';
import { loadProcessConfig } from '../runtime/load-config';
import { openDatabase } from '../stores/database';
import { API_KEY_PREFIX } from '../stores/tenants-repository';
import { DEV_TENANT_ID, ensureDevApiKey } from './dev-api-key';

/** Short keys are guessable; the generated ones are 32 random base64url characters. */
export const MIN_API_KEY_CHARS = 24;

export function requireApiKey(environment: Record<string, string | undefined>): string {
  const key = environment.KEEL_API_KEY;
  if (!key) throw new ConfigError('apiKey', 'KEEL_API_KEY', 'set the key the default tenant should have (e.g. keel_$(openssl rand -hex 24))');
  if (!key.startsWith(API_KEY_PREFIX) || key.length < MIN_API_KEY_CHARS) {
    throw new ConfigError('apiKey', 'KEEL_API_KEY', `must start with "${API_KEY_PREFIX}" and be at least ${MIN_API_KEY_CHARS} characters (e.g. keel_$(openssl rand -hex 24))`);
  }
  return key;
}

async function main(): Promise<void> {
  const key = requireApiKey(process.env);
  const config = loadProcessConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  try {
    await ensureDevApiKey(handle.db, config.home, key);
    console.log(`[keel] tenant "${DEV_TENANT_ID}" has the admin key ${key.slice(0, API_KEY_PREFIX.length + 4)}... (KEEL_API_KEY)`);
  } finally {
    await handle.close();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`[keel] could not ensure the API key: ${error.message}`);
    process.exit(1);
  });
}
