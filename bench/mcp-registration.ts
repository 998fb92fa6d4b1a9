/**
 * Cost of building the per-request McpServer (8 tools, 3 resources, 1 prompt) — paid on every POST /mcp because
 * servers are never shared across requests. Run: npm run bench:registration
 */
import { loadConfig } from '../src/config/load-config.js';
import { createMcpServer } from '../src/mcp/mcp-server.factory.js';
import type { ToolContext } from '../src/mcp/tool-context.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 20_000);
const ctx = {
  auth: { userId: 'u', email: 'e@example.com', via: 'api_key' },
  config: loadConfig({}),
  simulated: true,
  logUnexpected: () => undefined,
  // Handlers are not invoked here: registration only stores closures.
  calls: {},
  credits: { holdFor: () => 120 },
  voices: {},
} as unknown as ToolContext;

for (let i = 0; i < 2_000; i++) createMcpServer(ctx); // warm-up
const started = process.hrtime.bigint();
for (let i = 0; i < ITERATIONS; i++) createMcpServer(ctx);
const perServerUs = Number(process.hrtime.bigint() - started) / 1_000 / ITERATIONS;
console.log(
  `createMcpServer: ${perServerUs.toFixed(1)} µs per request-scoped server (${ITERATIONS} iterations, node ${process.version})`,
);
