import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { MaxDurationMinutes } from '../../calls/place-call.input.js';
import { invalidField } from '../../common/errors/app-error.js';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';

const config = {
  title: 'Estimate a call’s cost',
  description:
    'How many credits a call of up to max_duration_minutes holds and can cost at most, and whether you can afford it. ' +
    'A call is charged for its real duration (per second, rounded up, minimum charge applies).',
  inputSchema: cachedSchema(
    z.object({
      max_duration_minutes: MaxDurationMinutes.optional().describe('Defaults to the server default.'),
    }),
  ),
  outputSchema: cachedSchema(
    z.object({
      max_duration_minutes: z.number(),
      max_credits: z.number(),
      credits_per_minute: z.number(),
      minimum_charge: z.number(),
      available_credits: z.number(),
      affordable: z.boolean(),
    }),
  ),
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function registerEstimateCallCostTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('estimate_call_cost', config, ({ max_duration_minutes }) =>
    run(async () => {
      const minutes = max_duration_minutes ?? ctx.config.DEFAULT_MAX_DURATION_MINUTES;
      if (minutes > ctx.config.MAX_CALL_DURATION_MINUTES) {
        throw invalidField(
          'max_duration_minutes',
          `must be between 1 and ${ctx.config.MAX_CALL_DURATION_MINUTES}`,
        );
      }
      const maxCredits = ctx.credits.holdFor(minutes);
      const { available } = await ctx.credits.balance(ctx.auth.userId);
      const out = {
        max_duration_minutes: minutes,
        max_credits: maxCredits,
        credits_per_minute: ctx.credits.pricing.creditsPerMinute,
        minimum_charge: ctx.credits.pricing.minimumCharge,
        available_credits: available,
        affordable: available >= maxCredits,
      };
      return ok(
        `A call of up to ${minutes} min holds ${maxCredits} credits and costs at most that; you have ${available} available${out.affordable ? '' : ' (not enough)'}.`,
        out,
      );
    }, ctx.logUnexpected),
  );
}
