// Where the CLI finds Keel: KEEL_URL / KEEL_API_KEY from the environment, then ~/.config/keel/config.json
// (`{ "url": ..., "apiKey": ... }`), then the key `npm run dev` keeps in .keel/dev-api-key.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** `npm run dev`'s API. */
export const DEFAULT_KEEL_URL = 'http://127.0.0.1:3000';
export const DEV_API_KEY_FILE = path.join('.keel', 'dev-api-key');

const configFileSchema = z.object({
  url: z.url().optional(),
  apiKey: z.string().min(1).optional(),
}).strict();

export type CliConfig = { url: string; apiKey: string };

/** Thrown when the CLI has no API key or a malformed config file; says where a setting may come from. */
export class CliConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(message);
    this.name = 'CliConfigError';
  }
}

export function configFilePath(environment: NodeJS.ProcessEnv = process.env): string {
  const base = environment.XDG_CONFIG_HOME || path.join(environment.HOME ?? os.homedir(), '.config');
  return path.join(base, 'keel', 'config.json');
}

export function loadCliConfig(environment: NodeJS.ProcessEnv = process.env, workingDirectory = process.cwd()): CliConfig {
  const file = configFilePath(environment);
  const fromFile = existsSync(file) ? parseConfigFile(file) : {};
  const devKeyFile = path.join(workingDirectory, DEV_API_KEY_FILE);
  const apiKey = environment.KEEL_API_KEY || fromFile.apiKey || (existsSync(devKeyFile) ? readFileSync(devKeyFile, 'utf8').trim() : undefined);
  if (!apiKey) {
    throw new CliConfigError('apiKey', `no API key: set KEEL_API_KEY, or "apiKey" in ${file}`);
  }
  const url = environment.KEEL_URL || fromFile.url || DEFAULT_KEEL_URL;
  if (!z.url().safeParse(url).success) throw new CliConfigError('url', `KEEL_URL "${url}" is not a URL`);
  return { url: url.replace(/\/+$/, ''), apiKey };
}

function parseConfigFile(file: string): z.infer<typeof configFileSchema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliConfigError('file', `${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliConfigError('file', `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
