// What every log line of the current piece of work carries besides its own fields: the API request
// that started it (its id follows a run from the HTTP request into the worker's activities).
import { AsyncLocalStorage } from 'node:async_hooks';

export type LogContext = {
  /** The `x-request-id` of the API request that started the run (or this request, in the API). */
  requestId?: string;
};

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with these fields added to every log line written inside it (awaits included). */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
