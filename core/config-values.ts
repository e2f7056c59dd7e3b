// Number settings read from environment text, shared by every config reader: a malformed value is
// a ConfigError naming the setting and its variable.
import { ConfigError } from './config-error';

export function positiveInteger(text: string, setting: string, variable: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(setting, variable, `"${text}" is not a positive whole number`);
  return value;
}

export function positiveNumber(text: string, setting: string, variable: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(setting, variable, `"${text}" is not a positive number`);
  return value;
}

/** An optional positive whole number: unset or empty takes the fallback. */
export function optionalPositiveInteger(text: string | undefined, setting: string, variable: string, fallback: number): number {
  return text === undefined || text === '' ? fallback : positiveInteger(text, setting, variable);
}
