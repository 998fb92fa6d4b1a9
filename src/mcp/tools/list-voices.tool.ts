import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { cachedSchema } from '../cached-schema.js';
import { ok, run } from '../tool-result.js';
import type { ToolContext } from '../tool-context.js';

const config = {
  title: 'List voices',
  description: 'Voices the agent can speak with (pass a name or id as place_call’s voice).',
  inputSchema: cachedSchema(z.object({})),
  outputSchema: cachedSchema(
    z.object({
      voices: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().nullable() })),
      simulated: z.boolean(),
    }),
  ),
  annotations: { readOnlyHint: true, openWorldHint: true },
};

export function registerListVoicesTool(server: McpServer, ctx: ToolContext): void {
  server.registerTool('list_voices', config, () =>
    run(async () => {
      const voices = await ctx.voices.list();
      return ok(
        `${voices.length} voices: ${voices
          .slice(0, 12)
          .map((v) => v.name)
          .join(', ')}${voices.length > 12 ? ', …' : ''}`,
        {
          voices,
          simulated: ctx.simulated,
        },
      );
    }, ctx.logUnexpected),
  );
}
