import fc from 'fast-check';
import { nestsDeeperThan } from '../../src/common/json-depth.js';
import {
  hasUnstorableText,
  isStorableDate,
  storableText,
  unstorableTextPath,
} from '../../src/common/storable.js';
import { isUuid } from '../../src/common/uuid.js';
import { fuzzParameters } from './support/fuzz-settings.js';

/** Any string: arbitrary code points, with lone surrogates and NULs mixed in. */
const anyText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\udca5'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Recursive depth, for comparison with the iterative check on small values. */
const depth = (v: unknown): number =>
  v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;

describe('fuzz: the guards that keep hostile values away from PostgreSQL and the SDK', () => {
  it('hasUnstorableText = "has a NUL or is not well-formed"; storableText cleans, keeps clean text', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        expect(hasUnstorableText(s)).toBe(s.includes('\u0000') || !wellFormed(s));
        expect(hasUnstorableText(storableText(s))).toBe(false);
        if (!hasUnstorableText(s)) expect(storableText(s)).toBe(s);
      }),
      fuzzParameters(5),
    );
  });

  it('unstorableTextPath finds bad text in keys and values at any depth, and only there', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), anyText, fc.boolean(), (value, text, asKey) => {
        expect(unstorableTextPath(value)).toBeUndefined(); // fc's JSON strings are well-formed, NUL-free
        const wrapped = asKey ? { nested: [{ [text]: 1 }] } : { nested: [value, text] };
        expect(unstorableTextPath(wrapped) !== undefined).toBe(hasUnstorableText(text));
      }),
      fuzzParameters(5),
    );
  });

  it('isUuid accepts canonical UUIDs and no other [0-9a-f-]{36} string', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[0-9a-f-]{36}$/), (uuid, loose) => {
        expect(isUuid(uuid)).toBe(true);
        expect(isUuid(loose)).toBe(/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(loose));
      }),
      fuzzParameters(5),
    );
  });

  it('isStorableDate keeps exactly the dates with a plain four-digit ISO 8601 year other than 0000', () => {
    fc.assert(
      fc.property(fc.date(), (d) => {
        const iso = Number.isNaN(d.getTime()) ? '' : d.toISOString();
        expect(isStorableDate(d)).toBe(/^\d{4}-/.test(iso) && !iso.startsWith('0000'));
      }),
      fuzzParameters(5),
    );
  });

  it('nestsDeeperThan agrees with the recursive depth, and handles depths recursion cannot', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 10 }), (value, max) => {
        expect(nestsDeeperThan(value, max)).toBe(depth(value) > max);
      }),
      fuzzParameters(5),
    );
    const deep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan(deep, 200_000)).toBe(false);
  });
});
