import { useApp } from '../components/app-context.js';
import { CodeBlock, PageTitle } from '../components/ui.js';

const KEY = '<your API key>';

/** Copy-paste setup for the common MCP clients, with this server's real URL. */
export default function Connect() {
  const { config } = useApp();
  const url = config.mcp_url;
  const claudeCode = `claude mcp add --transport http bland-mcp ${url} --header "Authorization: Bearer ${KEY}"`;
  const cursor = JSON.stringify(
    { mcpServers: { 'bland-mcp': { url, headers: { Authorization: `Bearer ${KEY}` } } } },
    null,
    2,
  );
  const inspector =
    `npx @modelcontextprotocol/inspector --cli --transport http --server-url ${url} ` +
    `--header "Authorization: Bearer ${KEY}" --method tools/list`;
  return (
    <>
      <PageTitle title="Connect a client">Connect a client</PageTitle>
      <p class="lede">
        The MCP endpoint of this server is <code class="mono">{url}</code>. Clients that send a header
        authenticate with an API key: <a href="/console/keys">create one</a> and put it where the snippets say{' '}
        <code>{KEY}</code>.
      </p>
      <section aria-labelledby="claude-code">
        <h2 id="claude-code">Claude Code</h2>
        <CodeBlock code={claudeCode} label="Claude Code command" />
      </section>
      <section aria-labelledby="cursor">
        <h2 id="cursor">Cursor</h2>
        <p>
          Add to <code>~/.cursor/mcp.json</code> (or <code>.cursor/mcp.json</code> in a project):
        </p>
        <CodeBlock code={cursor} label="Cursor configuration" />
      </section>
      <section aria-labelledby="inspector">
        <h2 id="inspector">MCP Inspector</h2>
        <p>
          Lists the tools from a terminal (Node 22.19 or later). Without <code>--cli</code> it opens the
          Inspector's web UI: choose Streamable HTTP, enter the URL and add the Authorization header.
        </p>
        <CodeBlock code={inspector} label="MCP Inspector command" />
      </section>
      <section aria-labelledby="claude-ai">
        <h2 id="claude-ai">claude.ai and ChatGPT connectors</h2>
        {config.supabase ? (
          <>
            <p>
              These connectors sign in with OAuth instead of a key. In claude.ai open Settings → Connectors →
              Add custom connector and enter this URL; you will be asked to sign in here and approve access.
            </p>
            <CodeBlock code={url} label="connector URL" />
          </>
        ) : (
          <p>
            These connectors sign in with OAuth only, and OAuth is not set up on this server (it needs{' '}
            <code>SUPABASE_URL</code>). Use a client that can send a header, like the ones above.
          </p>
        )}
      </section>
    </>
  );
}
