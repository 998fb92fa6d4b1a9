/**
 * Bland shows numbers both as E.164 ("+15551234567") and as bare national digits ("5551234567"), so numbers are
 * compared on their digits, tolerating a missing North-American country code.
 */
export function samePhoneNumber(a: string | null | undefined, b: string | null | undefined): boolean {
  const left = phoneKey(a);
  return left !== '' && left === phoneKey(b);
}

/** Digits only, without a leading NANP `1` on 11-digit numbers: equal keys mean the same line. */
export function phoneKey(value: string | null | undefined): string {
  const digits = (value ?? '').replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}
