import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { PlaceCallShape } from '../../calls/place-call.input.js';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';

const Output = z.object({
  call_id: z.string(),
  status: z.string(),
  phone_number: z.string(),
  scheduled_at: z.string().nullable(),
  held_credits: z
    .number()
    .describe('Credits held for this call until it ends; only the real duration is charged.'),
  available_credits: z.number(),
  replayed: z
    .boolean()
    .describe('True when idempotency_key matched an earlier request: nothing new was dialled.'),
  simulated: z.boolean(),
});

const config = {
  title: 'Place a phone call',
  description:
    'Dials a real phone number and has an AI voice agent hold a conversation following your task. COSTS CREDITS: ' +
    'ceil(max_duration_minutes × credits per minute) are held when the call starts (see estimate_call_cost), and ' +
    'only the real duration is charged when it ends (minimum charge applies; unused credits return). Returns at once ' +
    'with a call_id: follow it with wait_for_call or get_call. Give an idempotency_key to make retries safe.',
  inputSchema: cachedSchema(z.object(PlaceCallShape)),
  outputSchema: cachedSchema(Output),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
};

export function registerPlaceCallTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('place_call', config, (args) =>
    run(async () => {
      const { call, balance, replayed } = await ctx.calls.place(ctx.auth, args);
      const out = {
        call_id: call.id,
        status: call.status,
        phone_number: call.phoneNumber,
        scheduled_at: call.scheduledAt?.toISOString() ?? null,
        held_credits: call.heldCredits,
        available_credits: balance.available,
        replayed,
        simulated: call.simulated,
      };
      const when = out.scheduled_at ? `scheduled for ${out.scheduled_at}` : out.status.replace('_', ' ');
      const note =
        call.status === 'dispatch_unknown'
          ? ' Bland did not confirm the dispatch in time; the server is reconciling it (it will not be dialled twice).'
          : '';
      return ok(
        `${replayed ? 'Already placed' : 'Placed'} call ${call.id} to ${call.phoneNumber}: ${when}; ${call.heldCredits} credits held, ${balance.available} available.${note}${call.simulated ? ' SIMULATED: no real phone rang.' : ''}`,
        out,
      );
    }, ctx.logUnexpected),
  );
}
