import fc from 'fast-check';
import { trickyString, trickyValue } from './edge-values.js';

type Edit =
  | { op: 'drop'; field: string }
  | { op: 'set'; field: string; value: unknown }
  | { op: 'add'; field: string; value: unknown }
  | { op: 'poison'; field: string; poison: string; at: number };

/** Characters that valid-looking text must survive or be refused for: a database or encoder may choke on them. */
const POISON = ['\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\r\n', '"', "'", '\\', '%', '💥'];

/**
 * Near-valid inputs: a valid input with up to three edits (a field dropped, a field given a domain-specific or
 * generally tricky wrong value, an unknown field added, or a hostile character slipped into a field's text, keys
 * included), or, now and then, another JSON value entirely. `fieldEdges` maps each known field to the
 * wrong-but-plausible values worth trying for it.
 */
export function nearValid(
  valid: fc.Arbitrary<Record<string, unknown>>,
  fieldEdges: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<unknown> {
  const fields = Object.keys(fieldEdges);
  const unknownField = fc.record({
    op: fc.constant('add' as const),
    field: fc.oneof(fc.constantFrom('__proto__', 'constructor', '_meta', 'user_id', 'extra'), trickyString),
    value: trickyValue,
  });
  const edit: fc.Arbitrary<Edit> =
    fields.length === 0
      ? unknownField
      : fc.oneof(
          fc.record({ op: fc.constant('drop' as const), field: fc.constantFrom(...fields) }),
          fc
            .constantFrom(...fields)
            .chain((field) =>
              fc
                .oneof({ weight: 3, arbitrary: fieldEdges[field]! }, { weight: 1, arbitrary: trickyValue })
                .map((value): Edit => ({ op: 'set', field, value })),
            ),
          fc.record({
            op: fc.constant('poison' as const),
            field: fc.constantFrom(...fields),
            poison: fc.constantFrom(...POISON),
            at: fc.nat(),
          }),
          unknownField,
        );
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        .tuple(valid, fc.array(edit, { maxLength: 3 }))
        .map(([base, edits]) => applyEdits(base, edits)),
    },
    { weight: 1, arbitrary: trickyValue },
  );
}

function applyEdits(base: Record<string, unknown>, edits: Edit[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const edit of edits) {
    if (edit.op === 'drop') delete out[edit.field];
    else if (edit.op === 'poison') {
      if (edit.field in out) setOwn(out, edit.field, poisoned(out[edit.field], edit.poison, edit.at));
    }
    // An own "__proto__" key, as JSON.parse on the server would produce it.
    else setOwn(out, edit.field, edit.value);
  }
  return out;
}

/** `value` with `poison` inserted into its text: a string, or one key or value of an object. */
function poisoned(value: unknown, poison: string, at: number): unknown {
  if (typeof value === 'string') {
    const i = at % (value.length + 1);
    return value.slice(0, i) + poison + value.slice(i);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return { [poison]: poison };
    const n = at % entries.length;
    const out: Record<string, unknown> = {};
    entries.forEach(([k, v], i) => {
      if (i !== n) setOwn(out, k, v);
      else if (at % 2 === 0) setOwn(out, poisoned(k, poison, at) as string, v);
      else setOwn(out, k, poisoned(v, poison, at));
    });
    return out;
  }
  return value;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
