const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A canonical UUID (8-4-4-4-12 hex digits). Checked before an id reaches a `uuid` column, so a malformed id is
 * "not found" rather than a database error: `[0-9a-f-]{36}` is not enough (36 dashes would pass it).
 */
export const isUuid = (value: string): boolean => UUID.test(value);
