import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthContext } from '../auth/auth-context.js';
import { CreditsService } from '../credits/credits.service.js';
import { ApiAuthGuard, CurrentAuth } from './api-auth.guard.js';
import { parseInput } from './api-input.js';
import { balanceView, ledgerEntryView, whoView } from './api-views.js';

const LedgerQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(30).optional(), // CreditsService checks it is one of its cursors
  })
  .strict();

/** Who is signed in, and their credits: balance, holds and the ledger. */
@Controller('api')
@UseGuards(ApiAuthGuard)
export class AccountApiController {
  constructor(private readonly credits: CreditsService) {}

  @Get('me')
  async me(@CurrentAuth() auth: AuthContext) {
    return { user: whoView(auth), credits: balanceView(await this.credits.balance(auth.userId)) };
  }

  @Get('credits')
  async balance(@CurrentAuth() auth: AuthContext) {
    const { creditsPerMinute, minimumCharge } = this.credits.pricing;
    return {
      ...balanceView(await this.credits.balance(auth.userId)),
      pricing: { credits_per_minute: creditsPerMinute, minimum_charge: minimumCharge },
    };
  }

  @Get('credits/ledger')
  async ledger(@CurrentAuth() auth: AuthContext, @Query() query: unknown) {
    const q = parseInput(LedgerQuery, query);
    const page = await this.credits.history(auth.userId, q.cursor, q.limit);
    return { entries: page.entries.map(ledgerEntryView), next_cursor: page.nextCursor };
  }
}
