import { createRequire } from 'node:module';
import type { CountryCode, NumberType } from 'libphonenumber-js/max';
import { AppError, invalidField } from '../common/errors/app-error.js';

// The CommonJS build: the ESM build imports its metadata JSON without an import attribute, which Jest's ESM mode
// (and, soon, Node) rejects. Same code and metadata either way.
const { getCountries, getCountryCallingCode, parsePhoneNumberWithError } = createRequire(import.meta.url)(
  'libphonenumber-js/max',
) as typeof import('libphonenumber-js/max');

/**
 * Short emergency numbers worldwide. They are not valid E.164 subscriber numbers, so libphonenumber rejects most
 * forms anyway; this list makes the refusal explicit (and its message clear) when someone writes "+1 911".
 */
const EMERGENCY_NUMBERS = [
  '911',
  '112',
  '999',
  '000',
  '110',
  '119',
  '118',
  '100',
  '101',
  '102',
  '108',
  '15',
  '17',
  '18',
  '10111',
  '111',
];
const CALLING_CODES = new Set(getCountries().map((c) => getCountryCallingCode(c)));

/** "911", "+1911", "+44 999", "00 33 112"…: an emergency short code, alone or after a country calling code. */
function isEmergency(raw: string): boolean {
  const digits = raw.replace(/\D/g, '').replace(/^00/, '');
  return EMERGENCY_NUMBERS.some(
    (code) => digits === code || (digits.endsWith(code) && CALLING_CODES.has(digits.slice(0, -code.length))),
  );
}

// Numbers that cost the caller more or reach no person: refused whatever the allow-list says.
const BLOCKED_TYPES: ReadonlySet<NumberType> = new Set([
  'PREMIUM_RATE',
  'SHARED_COST',
  'VOICEMAIL',
  'PAGER',
  'UAN',
]);

export interface DialableNumber {
  e164: string;
  country: CountryCode | undefined;
  type: NumberType;
}

/**
 * Validates that `raw` is a real, dialable number in E.164 and that our safety policy allows dialling it.
 * `field` names the input in every error.
 */
export function checkDialable(
  raw: string,
  field: string,
  allowedCountries: readonly string[],
): DialableNumber {
  const trimmed = raw.trim();
  if (isEmergency(trimmed)) {
    throw new AppError(
      'forbidden',
      'CALLS.EMERGENCY_NUMBER',
      `${field}: emergency numbers are never dialled`,
      { field },
    );
  }
  if (!trimmed.startsWith('+')) {
    throw invalidField(
      field,
      `"${raw}" is not in E.164 format: start with + and the country code, e.g. +14155550123`,
      'CALLS.INVALID_PHONE_NUMBER',
    );
  }
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(trimmed);
  } catch {
    throw invalidField(
      field,
      `"${raw}" is not a phone number: use E.164, e.g. +14155550123`,
      'CALLS.INVALID_PHONE_NUMBER',
    );
  }
  if (!parsed.isValid()) {
    throw invalidField(
      field,
      `"${raw}" is not a valid, dialable number for its country (wrong length or unassigned range)`,
      'CALLS.INVALID_PHONE_NUMBER',
    );
  }
  const type = parsed.getType() ?? 'FIXED_LINE_OR_MOBILE';
  if (BLOCKED_TYPES.has(type)) {
    throw new AppError(
      'forbidden',
      'CALLS.BLOCKED_DESTINATION',
      `${field}: ${type.toLowerCase().replace(/_/g, '-')} numbers are never dialled`,
      {
        field,
        type,
      },
    );
  }
  if (allowedCountries.length > 0 && !allowedCountries.includes(parsed.country ?? '')) {
    throw new AppError(
      'forbidden',
      'CALLS.COUNTRY_NOT_ALLOWED',
      `${field}: calls to ${parsed.country ?? 'this destination'} are not allowed here (allowed: ${allowedCountries.join(', ')})`,
      { field, country: parsed.country },
    );
  }
  return { e164: parsed.number, country: parsed.country, type };
}
