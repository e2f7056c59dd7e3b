// The environment bash commands run with: just enough to work, and none of the worker's secrets
// (API keys, database URLs) that live in its own environment.

export const DEFAULT_COMMAND_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_COMMAND_LANG = 'C.UTF-8';

export function commandEnvironment(workspace: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH || DEFAULT_COMMAND_PATH,
    HOME: workspace,
    LANG: process.env.LANG || DEFAULT_COMMAND_LANG,
  };
}
