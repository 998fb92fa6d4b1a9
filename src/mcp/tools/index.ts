import type { McpServer } from '@modelcontextprotocol/server';
import type { ToolContext } from '../tool-context.js';
import { registerEstimateCallCostTool } from './estimate-call-cost.tool.js';
import { registerGetCallTool } from './get-call.tool.js';
import { registerGetCreditBalanceTool } from './get-credit-balance.tool.js';
import { registerListCallsTool } from './list-calls.tool.js';
import { registerListVoicesTool } from './list-voices.tool.js';
import { registerPlaceCallTool } from './place-call.tool.js';
import { registerStopCallTool } from './stop-call.tool.js';
import { registerWaitForCallTool } from './wait-for-call.tool.js';

/** The one list of tools, in the order tools/list returns them. */
export function registerTools(server: McpServer, ctx: ToolContext): void {
  registerPlaceCallTool(server, ctx);
  registerGetCallTool(server, ctx);
  registerWaitForCallTool(server, ctx);
  registerListCallsTool(server, ctx);
  registerStopCallTool(server, ctx);
  registerGetCreditBalanceTool(server, ctx);
  registerEstimateCallCostTool(server, ctx);
  registerListVoicesTool(server, ctx);
}
