import fc from 'fast-check';

/**
 * Values that break naive code: the shapes of strings, numbers and JSON a careless parser, database driver or
 * template mishandles. Every fuzzer draws from these next to fast-check's own random values.
 */

const TRICKY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'x\ud83d',
  '\u202e\u0041', // right-to-left override
  '\ufeff',
  '💥🔥',
  'Ω≈ç√∫',
  '%s%n%x',
  '${process.exit()}',
  '{{7*7}}',
  "'; DROP TABLE bland_mcp.calls; --",
  '" OR 1=1 --',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  '{"a":1}',
  '[]',
  '<script>alert(1)</script>',
  '\r\nX-Injected: 1',
  'bmcp_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '-'.repeat(36),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '2026-02-30T25:61:61Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
];

/** Strings: tricky constants, arbitrary code points, control characters, and long runs. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 120 }),
  fc.string({ maxLength: 40 }),
  fc
    .tuple(fc.integer({ min: 200, max: 60_000 }), fc.constantFrom('x', 'é', '\u0000', '9', ' '))
    .map(([n, c]) => c.repeat(n)),
);

const TRICKY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e-320,
  1e308,
  -1e308,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
];

export const trickyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...TRICKY_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Arbitrary JSON with arbitrary code points in keys and strings. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 });

/** Any JSON value a field could be given instead of the right one. */
export const trickyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: trickyString },
  { weight: 2, arbitrary: trickyNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.array(trickyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(trickyString, trickyString, { maxKeys: 3 }) },
);

/** Ids that look like UUIDs to a loose check but may not be (the `[0-9a-f-]{36}` trap), and real UUIDs. */
export const uuidLike: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[0-9a-f-]{36}$/),
  fc.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/),
  fc.constantFrom('-'.repeat(36), '0'.repeat(36), 'f'.repeat(36)),
);

/** ISO-ish timestamps, including the extremes JavaScript accepts and PostgreSQL may not. */
export const timestampLike: fc.Arbitrary<string> = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999999Z', '2026-01-01T00:00:00+14:00'),
  trickyString,
);

/** Phone numbers a policy must refuse or normalise: emergency, premium, malformed, look-alikes. */
export const phoneLike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '911',
    '112',
    '999',
    '+1911',
    '+1 911',
    '+19005550123',
    '+1-900-555-0123',
    '+448712345678',
    '+44 20 7946 0958',
    '+1 (415) 555-0123',
    '(415) 555-0123',
    'tel:+14155550123',
    '+１４１５５５５０１２３',
    '+14155550123;ext=1',
    '+1415555012',
    '+141555501234567890',
    '+0',
    '+',
    '00',
    '+999999999999',
  ),
  fc.stringMatching(/^\+?[0-9 ()-]{1,20}$/),
  trickyString,
);

/** A base64url-encoded JSON value: the shape of an opaque cursor. */
export const encodedJson = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  value.map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'));
