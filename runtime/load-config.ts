// Reads Keel's configuration from this process's environment (files read synchronously at start-up).
import { readFileSync } from 'node:fs';
import { loadConfig, type ConfigOverrides, type KeelConfig } from '../core/config';

export function loadProcessConfig(overrides: ConfigOverrides = {}): KeelConfig {
  return loadConfig(process.env, overrides, (file) => readFileSync(file, 'utf8'));
}
