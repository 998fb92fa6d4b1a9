import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';

const Entry = z.object({
  kind: z.string().describe('grant | adjust | hold | capture | release | refund'),
  amount: z.number(),
  call_id: z.string().nullable(),
  reason: z.string().nullable(),
  created_at: z.string(),
});

const config = {
  title: 'Credit balance',
  description:
    'Your credits: balance, held by calls in progress, available to spend, and the latest ledger entries.',
  inputSchema: cachedSchema(z.object({})),
  outputSchema: cachedSchema(
    z.object({
      balance: z.number(),
      held: z.number(),
      available: z.number(),
      credits_per_minute: z.number(),
      recent_entries: z.array(Entry),
      simulated: z.boolean(),
    }),
  ),
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function registerGetCreditBalanceTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('get_credit_balance', config, () =>
    run(async () => {
      const [balance, history] = await Promise.all([
        ctx.credits.balance(ctx.auth.userId),
        ctx.credits.history(ctx.auth.userId, null, 10),
      ]);
      const out = {
        ...balance,
        credits_per_minute: ctx.credits.pricing.creditsPerMinute,
        recent_entries: history.entries.map((e) => ({
          kind: e.kind,
          amount: e.amount,
          call_id: e.callId,
          reason: e.reason,
          created_at: e.createdAt.toISOString(),
        })),
        simulated: ctx.simulated,
      };
      return ok(
        `${balance.available} credits available (${balance.balance} balance, ${balance.held} held).`,
        out,
      );
    }, ctx.logUnexpected),
  );
}
