/**
 * Send-call validation as Bland documents it, answered in Bland's legacy error shape with express-validator
 * style items ({ value, msg, param, location }). Product limits (task length, allowed countries, …) are the
 * lifecycle service's job, not Bland's, so they are not repeated here.
 */
import type { BlandLegacyErrorItem, BlandSendCallRequest } from '../bland.types.js';

const E164 = /^\+[1-9]\d{7,14}$/;
const VOICEMAIL_ACTIONS = ['hangup', 'leave_message', 'leave_message_and_sms', 'ignore'];
/** `YYYY-MM-DD HH:MM:SS -HH:MM` (Bland's documented form); ISO 8601 with T/Z is accepted too. */
const START_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/;

export type SendCallValidation =
  { ok: true; request: BlandSendCallRequest; startAt?: Date } | { ok: false; errors: BlandLegacyErrorItem[] };

export function validateSendCall(body: unknown): SendCallValidation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [issue('body', body, 'Request body must be a JSON object.')] };
  }
  const input = body as Record<string, unknown>;
  const errors: BlandLegacyErrorItem[] = [];
  const check = (field: string, bad: boolean, msg: string): void => {
    if (bad) errors.push(issue(field, input[field], msg));
  };

  check('phone_number', input.phone_number === undefined, 'phone_number is required.');
  check(
    'phone_number',
    input.phone_number !== undefined &&
      !(typeof input.phone_number === 'string' && E164.test(input.phone_number)),
    'phone_number must be a valid E.164 phone number, e.g. +14155550123.',
  );
  const hasScript = [input.task, input.pathway_id, input.persona_id].some(
    (v) => typeof v === 'string' && v !== '',
  );
  check('task', !hasScript, 'Either task or pathway_id is required.');
  check(
    'first_sentence',
    !isOptionalString(input.first_sentence, 199),
    'first_sentence must be under 200 characters.',
  );
  check(
    'max_duration',
    input.max_duration !== undefined && !(typeof input.max_duration === 'number' && input.max_duration > 0),
    'max_duration must be a positive number of minutes.',
  );
  check(
    'temperature',
    input.temperature !== undefined &&
      !(typeof input.temperature === 'number' && input.temperature >= 0 && input.temperature <= 1),
    'temperature must be between 0 and 1.',
  );
  check(
    'from',
    input.from !== undefined && !(typeof input.from === 'string' && E164.test(input.from)),
    'from must be an E.164 number you own.',
  );
  check(
    'webhook',
    input.webhook !== undefined && !isHttpUrl(input.webhook),
    'webhook must be an http(s) URL.',
  );
  check(
    'metadata',
    input.metadata !== undefined && !isPlainObject(input.metadata),
    'metadata must be an object.',
  );
  check(
    'voicemail',
    input.voicemail !== undefined &&
      !(isPlainObject(input.voicemail) && isOneOf(input.voicemail.action, VOICEMAIL_ACTIONS)),
    `voicemail.action must be one of ${VOICEMAIL_ACTIONS.join(', ')}.`,
  );
  const startAt = input.start_time === undefined ? undefined : parseStartTime(input.start_time);
  check('start_time', startAt === null, 'start_time must look like "2025-01-31 14:30:00 -05:00".');

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, request: input as unknown as BlandSendCallRequest, startAt: startAt ?? undefined };
}

/** Returns null when unparseable. A time without an offset is read as UTC (Bland would use `timezone`). */
export function parseStartTime(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = START_TIME.exec(value.trim());
  if (!match) return null;
  const [, date, time, zone] = match;
  const offset =
    !zone || zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = Date.parse(`${date}T${time}${offset}`);
  return Number.isNaN(at) ? null : new Date(at);
}

function issue(param: string, value: unknown, msg: string): BlandLegacyErrorItem {
  return { value, msg, param, location: 'body' };
}

function isOptionalString(value: unknown, maxLength: number): boolean {
  return value === undefined || (typeof value === 'string' && value.length <= maxLength);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf(value: unknown, allowed: string[]): boolean {
  return value === undefined || (typeof value === 'string' && allowed.includes(value));
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
