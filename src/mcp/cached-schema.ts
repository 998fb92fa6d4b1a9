import type { z } from 'zod';

type JsonSchemaOptions = Record<string, unknown>;

/**
 * The SDK turns each tool's zod schemas into JSON Schema through `~standard.jsonSchema`, lazily per registered
 * tool. Because every request builds a fresh server, that conversion would run on every request (≈2 of every 3
 * CPU samples spent in the SDK, measured with bench/mcp-throughput.ts --cpu-prof). The schemas are module
 * constants, so their JSON Schema is computed once and shared; validation still goes through zod.
 */
export function cachedSchema<T extends z.ZodType>(schema: T): T {
  const standard = schema['~standard'] as T['~standard'] & {
    jsonSchema: { input(o: JsonSchemaOptions): unknown; output(o: JsonSchemaOptions): unknown };
  };
  const cache = new Map<string, unknown>();
  const memo = (io: 'input' | 'output') => (options: JsonSchemaOptions) => {
    const key = `${io}:${JSON.stringify(options)}`;
    // Deep-frozen: shared by every request, so any mutation by a consumer would throw rather than leak.
    if (!cache.has(key)) cache.set(key, deepFreeze(standard.jsonSchema[io](options)));
    return cache.get(key);
  };
  const patched = { ...standard, jsonSchema: { input: memo('input'), output: memo('output') } };
  return new Proxy(schema, {
    get: (target, property, receiver) =>
      property === '~standard' ? patched : Reflect.get(target, property, receiver),
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
