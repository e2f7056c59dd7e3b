// Building tool results, and the error class for mistakes the model can fix itself.
// Such mistakes become `{ isError: true }` results; anything else is an infrastructure failure and throws.
import type { ToolResult } from './types';

/** Thrown when a tool request cannot be carried out for a reason the model can correct (bad path, missing file...). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

export function toolSuccess(output: string, metadata?: Record<string, unknown>): ToolResult {
  return metadata ? { output, isError: false, metadata } : { output, isError: false };
}

export function toolError(output: string, metadata?: Record<string, unknown>): ToolResult {
  return metadata ? { output, isError: true, metadata } : { output, isError: true };
}

/** Runs a tool body, turning a `ToolInputError` into an error result the model sees. */
export async function catchToolInputErrors(work: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolInputError) return toolError(error.message, { errorName: error.name });
    throw error;
  }
}
