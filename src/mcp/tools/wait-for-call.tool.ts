import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { isTerminal } from '../../calls/call-status.js';
import { CallWithTranscript, callWithTranscript, describeCall } from '../call-view.js';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';
import { CallIdInput } from './get-call.tool.js';

const POLL_MS = 500;

const config = {
  title: 'Wait for a call to end',
  description:
    'Waits until your call has ended (or timeout_seconds pass) and returns it as get_call does, with the transcript. ' +
    'Call it again if timed_out is true. Reads the shared database, so it works whichever server instance answers.',
  inputSchema: cachedSchema(
    z.object({
      call_id: CallIdInput,
      timeout_seconds: z
        .number()
        .int()
        .min(1)
        .max(45)
        .default(30)
        .describe('How long to wait, 1–45 s (default 30).'),
    }),
  ),
  outputSchema: cachedSchema(CallWithTranscript.extend({ timed_out: z.boolean() })),
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function registerWaitForCallTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('wait_for_call', config, ({ call_id, timeout_seconds }, extra) =>
    run(async () => {
      const deadline = Date.now() + timeout_seconds * 1000;
      const signal = extra.mcpReq.signal;
      const progressToken = extra.mcpReq._meta?.progressToken;
      let call = await ctx.calls.get(ctx.auth, call_id);
      let step = 0;
      // An async poll of the database: no worker is blocked, and the answer does not depend on which instance
      // received Bland's webhook.
      while (!isTerminal(call.status) && Date.now() < deadline && !signal.aborted) {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))),
        );
        call = await ctx.calls.get(ctx.auth, call_id);
        if (progressToken !== undefined && ++step % 4 === 0) {
          await extra.mcpReq
            .notify({
              method: 'notifications/progress',
              params: { progressToken, progress: step, message: `call is ${call.status}` },
            })
            .catch(() => undefined);
        }
      }
      const timedOut = !isTerminal(call.status);
      const view = { ...callWithTranscript(call, true), timed_out: timedOut };
      return ok(
        `${describeCall(view)}${timedOut ? ` Still live after ${timeout_seconds} s: call wait_for_call again.` : ''}`,
        view,
      );
    }, ctx.logUnexpected),
  );
}
