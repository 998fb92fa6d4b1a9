import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthContext } from '../auth/auth-context.js';
import { CALL_STATUSES } from '../calls/call-status.js';
import { CallsService } from '../calls/calls.service.js';
import { CreditsService } from '../credits/credits.service.js';
import { callView, callWithTranscript } from '../mcp/call-view.js';
import { ApiAuthGuard, CurrentAuth } from './api-auth.guard.js';
import { parseInput } from './api-input.js';
import { ledgerEntryView } from './api-views.js';

const IsoTime = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 time such as 2026-11-27T09:00:00Z',
});

const ListCallsQuery = z
  .object({
    status: z.enum(CALL_STATUSES).optional(),
    // People type numbers with spaces, dashes and brackets; calls are stored in E.164.
    phone_number: z
      .string()
      .transform((v) => v.replace(/[\s().-]/g, '').replace(/^00/, '+'))
      .pipe(z.string().regex(/^\+[1-9]\d{5,14}$/, 'expected a number in E.164 format such as +14155550123'))
      .optional(),
    since: IsoTime.optional(),
    until: IsoTime.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The caller's calls: the same CallsService (and per-user scoping) and the same JSON view as the MCP tools. */
@Controller('api/calls')
@UseGuards(ApiAuthGuard)
export class CallsApiController {
  constructor(
    private readonly calls: CallsService,
    private readonly credits: CreditsService,
  ) {}

  @Get()
  async list(@CurrentAuth() auth: AuthContext, @Query() query: unknown) {
    const q = parseInput(ListCallsQuery, query);
    const page = await this.calls.list(auth, {
      status: q.status,
      phoneNumber: q.phone_number,
      since: q.since ? new Date(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
      limit: q.limit,
      cursor: q.cursor,
    });
    return { calls: page.calls.map(callView), next_cursor: page.nextCursor };
  }

  /** One call with its transcript (as text and, when Bland sent them, as turns) and its ledger entries. */
  @Get(':id')
  async get(@CurrentAuth() auth: AuthContext, @Param('id') id: string) {
    const call = await this.calls.get(auth, id); // 404 for another user's call, as for a missing one
    const entries = await this.credits.entriesForCall(call.id);
    return {
      call: { ...callWithTranscript(call, true), transcript_turns: call.transcriptTurns },
      ledger: entries.filter((e) => e.userId === auth.userId).map(ledgerEntryView),
    };
  }
}
