import type { ValidateFunction } from 'ajv';
import { toolText, type RpcAnswer, type RpcError } from './raw-mcp.js';

/** JSON-RPC's "Internal error": what the SDK answers when a handler throws something it did not expect. */
export const INTERNAL_ERROR = -32603;

/**
 * What is wrong with an answer to a fuzzed request, or undefined when it is clean. Clean means: no 5xx; a 200
 * carries a JSON-RPC response; an error is a protocol error other than "internal error"; a tool failure is a
 * business error (AppError code), not the INTERNAL fallback for an unexpected exception; and a successful tool
 * result matches the tool's declared outputSchema.
 */
export function answerProblem(answer: RpcAnswer, validateOutput?: ValidateFunction): string | undefined {
  const body = answer.text.slice(0, 500);
  if (answer.status >= 500) return `HTTP ${answer.status}: ${body}`;
  if (answer.status !== 200) return undefined;
  if (answer.responses.length === 0) return `HTTP 200 without a JSON-RPC response: ${body}`;
  for (const { result, error } of answer.responses) {
    const problem = error ? errorProblem(error) : resultProblem(result, validateOutput);
    if (problem) return problem;
  }
  return undefined;
}

function errorProblem(error: RpcError): string | undefined {
  const internal = error.code === INTERNAL_ERROR && !isSdkParamsRejection(error.message);
  return internal ? `JSON-RPC internal error: ${error.message}` : undefined;
}

function resultProblem(
  result: Record<string, unknown> | undefined,
  validateOutput: ValidateFunction | undefined,
): string | undefined {
  if (!result) return 'a JSON-RPC response with neither result nor error';
  if (result.isError === true) {
    const text = toolText(result);
    return text.startsWith('INTERNAL') ? `unexpected exception behind the tool: ${text}` : undefined;
  }
  if (validateOutput && !validateOutput(result.structuredContent)) {
    return `structuredContent breaks the outputSchema: ${JSON.stringify(validateOutput.errors)}`;
  }
  return undefined;
}

/**
 * The SDK (@modelcontextprotocol/server 2.4.0) answers a request whose params fail its wire schema with -32603
 * and the zod issues as the message, where JSON-RPC says -32602: a protocol-level refusal before any handler of
 * ours runs, not an exception in our code (docs/security.md, "What the fuzzers found").
 */
function isSdkParamsRejection(message: string): boolean {
  try {
    const issues = JSON.parse(message) as { path?: unknown[] }[];
    return Array.isArray(issues) && issues.length > 0 && issues.every((i) => i.path?.[0] === 'params');
  } catch {
    return false;
  }
}
