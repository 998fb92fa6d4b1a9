import type { CallToolResult } from '@modelcontextprotocol/server';
import { AppError } from '../common/errors/app-error.js';

/** A successful tool result: a short human summary plus the structured data its outputSchema describes. */
export function ok<T extends Record<string, unknown>>(summary: string, structured: T): CallToolResult {
  return { content: [{ type: 'text', text: summary }], structuredContent: structured };
}

/**
 * The MCP edge of the error model: a business failure (insufficient credits, invalid number, Bland refused…) is a
 * tool result with isError so the model can read it and act; the message names the field and the fix.
 * Unexpected errors are reported without internals.
 */
export function toolError(err: unknown): CallToolResult {
  if (err instanceof AppError) {
    const retry = err.retryAfterSeconds !== undefined ? ` (retry after ${err.retryAfterSeconds} s)` : '';
    return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}${retry}` }] };
  }
  return {
    isError: true,
    content: [{ type: 'text', text: 'INTERNAL: the server failed to handle this call; it was logged' }],
  };
}

/** Runs a tool body, turning thrown errors into isError results (and logging the unexpected ones). */
export async function run(
  body: () => Promise<CallToolResult>,
  onUnexpected: (err: unknown) => void,
): Promise<CallToolResult> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof AppError)) onUnexpected(err);
    return toolError(err);
  }
}
