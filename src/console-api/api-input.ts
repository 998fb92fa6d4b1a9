import type { z } from 'zod';
import { invalidField } from '../common/errors/app-error.js';

/**
 * Parses a query string or body with `schema`; the first problem becomes a 400 naming its field
 * (`{"error":{"code":"VALIDATION.INVALID_FIELD","message":"limit: …","details":{"field":"limit"}}}`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = unknownKey ?? (issue.path.length ? issue.path.join('.') : 'body');
  throw invalidField(field, unknownKey ? 'unknown parameter' : issue.message);
}
