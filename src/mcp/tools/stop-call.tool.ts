import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { CallView, callView, describeCall } from '../call-view.js';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';
import { CallIdInput } from './get-call.tool.js';

const config = {
  title: 'Stop a call',
  description:
    'Hangs up a live call, or cancels a scheduled one before it rings. Only the time already talked is charged. ' +
    'Stopping a call that has ended does nothing.',
  inputSchema: cachedSchema(z.object({ call_id: CallIdInput })),
  outputSchema: cachedSchema(CallView),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
};

export function registerStopCallTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('stop_call', config, ({ call_id }) =>
    run(async () => {
      const view = callView(await ctx.calls.stop(ctx.auth, call_id));
      return ok(`Stop requested. ${describeCall(view)}`, view);
    }, ctx.logUnexpected),
  );
}
