import type { z } from 'zod';

/** "phone_number: Required; voicemail.message: required when action is leave_message" — every field named. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
