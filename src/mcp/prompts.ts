import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { cachedSchema } from './cached-schema.js';
import type { ToolContext } from './tool-context.js';

const OutboundCallArgs = cachedSchema(
  z.object({
    goal: z.string().min(1).max(2_000).describe('What the call must achieve.'),
    recipient_context: z
      .string()
      .max(4_000)
      .optional()
      .describe('Who you are calling and what you know about them.'),
  }),
);

/** outbound_call: helps a model turn a goal into a good task prompt for place_call. */
export function registerPrompts(server: McpServer, ctx: ToolContext): void {
  server.registerPrompt(
    'outbound_call',
    {
      title: 'Plan an outbound call',
      description: 'Turns a goal and what you know about the recipient into a task prompt for place_call.',
      argsSchema: OutboundCallArgs,
    },
    ({ goal, recipient_context }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              'Write the `task` for a phone call that an AI voice agent will make with the place_call tool.',
              `Goal of the call: ${goal}`,
              recipient_context
                ? `About the recipient: ${recipient_context}`
                : 'Nothing is known about the recipient beyond the number.',
              '',
              'The task should, in plain second-person instructions to the agent:',
              '1. Say who the agent is calling on behalf of, and open by confirming it reached the right person.',
              '2. State the single goal and the facts the agent may share (nothing else; no invented details).',
              '3. List the questions to ask and the answers to collect, in order.',
              '4. Say what to do if the person is busy, refuses, or voicemail answers (leave a short message or hang up).',
              '5. Keep it courteous and brief; end the call once the goal is met.',
              `Keep it under 8,000 characters. A call holds ${ctx.credits.holdFor(ctx.config.DEFAULT_MAX_DURATION_MINUTES)} credits for the default ${ctx.config.DEFAULT_MAX_DURATION_MINUTES} minutes: choose max_duration_minutes to fit the goal.`,
              'Then call place_call with the number, the task, a first_sentence, and an idempotency_key.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}
