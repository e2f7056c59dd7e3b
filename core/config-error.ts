// The configuration error every config reader throws, apart from core/config.ts so the readers it
// calls (core/memory) can throw it without an import cycle.

/** Thrown when a setting is missing or malformed; names the option and the environment variable. */
export class ConfigError extends Error {
  constructor(readonly setting: string, readonly environmentVariable: string, readonly problem: string) {
    super(`configuration ${setting} (env ${environmentVariable}): ${problem}`);
    this.name = 'ConfigError';
  }
}
