import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { CALL_STATUSES } from '../../calls/call-status.js';
import { hasUnstorableText } from '../../common/storable.js';
import { CallView, callView } from '../call-view.js';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';

const config = {
  title: 'List your calls',
  description: 'Your calls, newest first, with optional filters. Page with next_cursor.',
  inputSchema: cachedSchema(
    z.object({
      status: z.enum(CALL_STATUSES).optional().describe('Only calls in this status.'),
      phone_number: z
        .string()
        .max(32)
        .refine((s) => !hasUnstorableText(s), 'must not contain NUL characters or unpaired surrogates')
        .optional()
        .describe('Only calls to this E.164 number.'),
      since: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('Only calls created at or after this ISO 8601 time.'),
      until: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('Only calls created before this ISO 8601 time.'),
      limit: z.number().int().min(1).max(100).default(20).describe('Page size, ≤ 100.'),
      cursor: z.string().max(200).optional().describe('next_cursor from the previous page.'),
    }),
  ),
  outputSchema: cachedSchema(z.object({ calls: z.array(CallView), next_cursor: z.string().nullable() })),
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function registerListCallsTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('list_calls', config, (args) =>
    run(async () => {
      const page = await ctx.calls.list(ctx.auth, {
        status: args.status,
        phoneNumber: args.phone_number?.replace(/[\s()-]/g, ''),
        since: args.since ? new Date(args.since) : undefined,
        until: args.until ? new Date(args.until) : undefined,
        limit: args.limit,
        cursor: args.cursor,
      });
      const calls = page.calls.map(callView);
      const lines = calls
        .map((c) => `- ${c.call_id} ${c.phone_number} ${c.status} ${c.created_at}`)
        .join('\n');
      return ok(
        `${calls.length} call(s)${page.nextCursor ? ' (more: pass next_cursor)' : ''}${lines ? `\n${lines}` : ''}`,
        { calls, next_cursor: page.nextCursor },
      );
    }, ctx.logUnexpected),
  );
}
