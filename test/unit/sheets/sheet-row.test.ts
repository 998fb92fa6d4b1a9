import { SHEET_HEADER, toSheetRow, truncate, type CallSnapshot } from '../../../src/sheets/sheet-row.js';

const call: CallSnapshot = {
  id: '6f1c1c1e-0000-4000-8000-000000000001',
  created_at: new Date('2026-11-27T10:00:00Z'),
  user_id: '6f1c1c1e-0000-4000-8000-0000000000aa',
  user_email: 'ada@example.com',
  api_key_last4: 'b7c2',
  phone_number: '+15551234567',
  status: 'completed',
  answered_by: 'human',
  duration_seconds: 93,
  held_credits: '120',
  charged_credits: '19',
  voice: 'maya',
  task: 'Confirm the appointment',
  from_number: null,
  summary: null,
  recording_url: 'https://example.com/r.mp3',
  transcript: 'Hello?',
  error_code: null,
  error_message: null,
  updated_at: new Date('2026-11-27T10:02:00Z'),
  simulated: false,
};

describe('sheet rows', () => {
  it('has the columns the issue asks for, in order, with Call ID first (the reconciliation key)', () => {
    expect(SHEET_HEADER).toEqual([
      'Call ID',
      'Created at',
      'User ID',
      'User email',
      'API key (last 4)',
      'Phone number',
      'Status',
      'Answered by',
      'Duration (s)',
      'Credits held',
      'Credits charged',
      'Voice',
      'Task (truncated)',
      'From',
      'Summary',
      'Recording URL',
      'Transcript (truncated)',
      'Error',
      'Last updated',
      'Simulated',
    ]);
  });

  it('maps a call to typed cells; empty fields become "" so a cleared value is cleared in the sheet too', () => {
    const row = toSheetRow(call);
    expect(row).toHaveLength(SHEET_HEADER.length);
    const byHeader = Object.fromEntries(SHEET_HEADER.map((h, i) => [h, row[i]]));
    expect(byHeader).toMatchObject({
      'Created at': '2026-11-27T10:00:00.000Z',
      'Duration (s)': 93,
      'Credits held': 120,
      'Credits charged': 19,
      From: '',
      Summary: '',
      Error: '',
      Simulated: false,
    });
    expect(row).not.toContain(null);
  });

  it('joins the error code and message', () => {
    const row = toSheetRow({ ...call, error_code: 'BLAND.TIMEOUT', error_message: 'no answer from Bland' });
    expect(row[SHEET_HEADER.indexOf('Error')]).toBe('BLAND.TIMEOUT: no answer from Bland');
  });

  it('truncates the task and the transcript, never over the limit, never splitting a surrogate pair', () => {
    const row = toSheetRow({ ...call, task: 'x'.repeat(10_000), transcript: '🙂'.repeat(40_000) });
    const task = String(row[SHEET_HEADER.indexOf('Task (truncated)')]);
    const transcript = String(row[SHEET_HEADER.indexOf('Transcript (truncated)')]);
    expect(task.length).toBe(5_000);
    expect(transcript.length).toBeLessThanOrEqual(49_000);
    expect(transcript).toMatch(/^(🙂)+ … \[truncated\]$/u);
  });

  it('leaves text at or under the limit alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate(null, 3)).toBeNull();
    expect(truncate('a'.repeat(100), 20)).toHaveLength(20);
  });
});
