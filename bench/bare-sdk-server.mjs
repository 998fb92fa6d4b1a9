// The anchor for bench/mcp-throughput.ts: the official SDK's stateless handler on bare node:http, doing the same
// Postgres work as bland-mcp's get_credit_balance (SHA-256 key lookup, balance read, last 10 ledger entries).
// Usage: node bench/bare-sdk-server.mjs <port> <database-url>
import { createHash } from 'node:crypto';
import http from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import pg from 'pg';
import { z } from 'zod';

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });

const output = z.object({
  balance: z.number(),
  held: z.number(),
  available: z.number(),
  recent: z.array(z.unknown()),
});

function createServer(userId) {
  const server = new McpServer({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('get_credit_balance', { inputSchema: z.object({}), outputSchema: output }, async () => {
    const [{ rows }, history] = await Promise.all([
      pool.query('SELECT balance, held FROM bland_mcp.credit_accounts WHERE user_id = $1', [userId]),
      pool.query(
        'SELECT id, kind, amount FROM bland_mcp.ledger_entries WHERE user_id = $1 ORDER BY id DESC LIMIT 10',
        [userId],
      ),
    ]);
    const balance = Number(rows[0].balance);
    const held = Number(rows[0].held);
    const out = { balance, held, available: balance - held, recent: history.rows };
    return { content: [{ type: 'text', text: `${out.available} available` }], structuredContent: out };
  });
  return server;
}

const handler = toNodeHandler(
  createMcpHandler(({ authInfo }) => createServer(authInfo.extra.userId), { responseMode: 'json' }),
);

http
  .createServer(async (req, res) => {
    const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const { rows } = await pool.query(
      `SELECT k.user_id FROM bland_mcp.api_keys k JOIN bland_mcp.users u ON u.id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.status = 'active'`,
      [createHash('sha256').update(key).digest()],
    );
    if (!rows[0]) {
      res.writeHead(401).end();
      return;
    }
    req.auth = { token: 'x', clientId: 'bench', scopes: [], extra: { userId: rows[0].user_id } };
    await handler(req, res);
  })
  .listen(Number(port), '127.0.0.1', () => console.log(`bare SDK server on ${port}`));
