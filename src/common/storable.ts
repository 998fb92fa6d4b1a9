/**
 * What PostgreSQL refuses that JavaScript allows: a NUL character in text or JSON (`invalid byte sequence` /
 * `unsupported Unicode escape`), an unpaired UTF-16 surrogate in JSON, an integer past int4, a date outside the
 * years both agree on. Edges check input with these, so such values are a validation error or are normalised,
 * never a database error (found by test/fuzz).
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const INT4_MAX = 2_147_483_647;

/** True when `value` holds a NUL or an unpaired surrogate. */
export const hasUnstorableText = (value: string): boolean =>
  value.includes('\u0000') || LONE_SURROGATE.test(value);

/** `value` without NULs, unpaired surrogates replaced by U+FFFD (what a UTF-8 encoder writes for them). */
export const storableText = (value: string): string =>
  value.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\ufffd');

/** A date in years 1–9999: what ISO 8601 strings and PostgreSQL's timestamptz both represent. */
export const isStorableDate = (date: Date): boolean => {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
};

/** The first path (keys and values, nested) in `value` whose text holds a NUL or an unpaired surrogate. */
export function unstorableTextPath(
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | undefined {
  if (typeof value === 'string') return hasUnstorableText(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableTextPath(item, [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (hasUnstorableText(key)) return [...path, key];
      const found = unstorableTextPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
