import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Client } from '@modelcontextprotocol/client';
import { startCallsApp, type CallsTestApp } from '../../support/calls-app.js';
import { connectMcp, textOf, type Era } from '../../support/mcp-client.js';

const TASK = 'Confirm the 3pm delivery window with the customer and ask for a gate code.';
const TOOLS = [
  'place_call',
  'get_call',
  'wait_for_call',
  'list_calls',
  'stop_call',
  'get_credit_balance',
  'estimate_call_cost',
  'list_voices',
];

describe.each<Era>(['modern', 'legacy'])('MCP tools over HTTP with the official client (%s era)', (era) => {
  let t: CallsTestApp;
  let user: Awaited<ReturnType<CallsTestApp['newUser']>>;
  let client: Client;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const outputSchemas = new Map<string, object>();

  beforeAll(async () => {
    t = await startCallsApp();
    user = await t.newUser(1_000);
    client = await connectMcp(t.app.url, user.apiKey, era);
  });
  afterAll(async () => {
    await client.close();
    await t.app.stop();
  });

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args });
    if (!result.isError && result.structuredContent) {
      const validate = ajv.compile(outputSchemas.get(name)!);
      expect({
        tool: name,
        valid: validate(result.structuredContent),
        errors: validate.errors ?? null,
      }).toEqual({ tool: name, valid: true, errors: null });
    }
    return result;
  };

  it('negotiates the expected era', () => {
    expect(client.getProtocolEra()).toBe(era);
    if (era === 'modern') expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
  });

  it('lists the eight tools with titles, schemas and deliberate annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description!.length).toBeGreaterThan(30);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations).toBeDefined();
      outputSchemas.set(tool.name, tool.outputSchema!);
    }
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.place_call!.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.stop_call!.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    for (const name of [
      'get_call',
      'wait_for_call',
      'list_calls',
      'get_credit_balance',
      'estimate_call_cost',
      'list_voices',
    ]) {
      expect(byName[name]!.annotations!.readOnlyHint).toBe(true);
    }
    expect(byName.place_call!.description).toMatch(/COSTS CREDITS/);
    expect(byName.place_call!.inputSchema.properties).toHaveProperty('idempotency_key');
  });

  it('runs a call end to end: estimate → place → wait → get with transcript → list → balance', async () => {
    const estimate = await call('estimate_call_cost', { max_duration_minutes: 3 });
    expect(estimate.structuredContent).toMatchObject({
      max_credits: 36,
      credits_per_minute: 12,
      minimum_charge: 1,
      affordable: true,
    });

    t.sim.setOutcome('+14155550111', 'completed');
    const placed = await call('place_call', {
      phone_number: '+14155550111',
      task: TASK,
      max_duration_minutes: 3,
      idempotency_key: `e2e-${era}`,
    });
    expect(placed.isError).toBeFalsy();
    const { call_id } = placed.structuredContent as { call_id: string };
    expect(placed.structuredContent).toMatchObject({
      status: 'queued',
      held_credits: 36,
      simulated: true,
      replayed: false,
    });
    expect(textOf(placed)).toMatch(/SIMULATED/);

    const again = await call('place_call', {
      phone_number: '+14155550111',
      task: TASK,
      max_duration_minutes: 3,
      idempotency_key: `e2e-${era}`,
    });
    expect(again.structuredContent).toMatchObject({ call_id, replayed: true });

    const waited = await call('wait_for_call', { call_id, timeout_seconds: 20 });
    expect(waited.structuredContent).toMatchObject({
      call_id,
      status: 'completed',
      terminal: true,
      timed_out: false,
    });
    expect((waited.structuredContent as { transcript: string }).transcript).toBeTruthy();

    const got = await call('get_call', { call_id, include_transcript: true });
    expect(got.structuredContent).toMatchObject({
      call_id,
      status: 'completed',
      transcript_truncated: false,
    });
    const without = await call('get_call', { call_id });
    expect(without.structuredContent).not.toHaveProperty('transcript');

    const listed = await call('list_calls', { limit: 5 });
    expect(
      (listed.structuredContent as { calls: { call_id: string }[] }).calls.map((c) => c.call_id),
    ).toContain(call_id);

    const balance = await call('get_credit_balance');
    const charged = (got.structuredContent as { charged_credits: number }).charged_credits;
    expect(balance.structuredContent).toMatchObject({
      balance: 1_000 - charged - (era === 'modern' ? 0 : 0),
      held: 0,
    });
  });

  it('stops a scheduled call and lists voices', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const placed = await call('place_call', { phone_number: '+14155550112', task: TASK, start_time: at });
    const { call_id } = placed.structuredContent as { call_id: string };
    const stopped = await call('stop_call', { call_id });
    expect(stopped.structuredContent).toMatchObject({ call_id, status: 'canceled', charged_credits: 0 });
    const voices = await call('list_voices');
    expect((voices.structuredContent as { voices: unknown[] }).voices.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'place_call',
      { phone_number: '911', task: TASK },
      /CALLS.EMERGENCY_NUMBER: phone_number: emergency numbers are never dialled/,
    ],
    ['place_call', { phone_number: '+14155550113' }, /task: either task or pathway_id is required/],
    [
      'place_call',
      { phone_number: '+14155550113', task: TASK, max_duration_minutes: 30_000 },
      /max_duration_minutes/,
    ],
    [
      'place_call',
      { phone_number: '+447911123456', task: TASK, max_duration_minutes: 30 },
      /CREDITS.INSUFFICIENT|CALLS/,
    ],
    ['get_call', { call_id: '00000000-0000-4000-8000-000000000000' }, /CALLS.NOT_FOUND: call_id: /],
    ['get_call', { call_id: 'nope' }, /call_id/],
    [
      'wait_for_call',
      { call_id: '00000000-0000-4000-8000-000000000000', timeout_seconds: 1 },
      /CALLS.NOT_FOUND/,
    ],
    [
      'wait_for_call',
      { call_id: '00000000-0000-4000-8000-000000000000', timeout_seconds: 99 },
      /timeout_seconds/,
    ],
    ['stop_call', { call_id: '00000000-0000-4000-8000-000000000000' }, /CALLS.NOT_FOUND/],
    ['list_calls', { cursor: 'garbage' }, /cursor: not a cursor/],
    ['list_calls', { limit: 1_000 }, /limit/],
    ['estimate_call_cost', { max_duration_minutes: 31 }, /max_duration_minutes: must be between 1 and 30/],
  ])('%s %j → isError naming the field', async (name, args, message) => {
    const poor = await t.newUser(100);
    const c = await connectMcp(t.app.url, poor.apiKey, era);
    try {
      const result = await c.callTool({ name, arguments: args });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(message);
    } finally {
      await c.close();
    }
  });

  it('answers an unknown tool with a JSON-RPC error', async () => {
    await expect(client.callTool({ name: 'launch_rocket', arguments: {} })).rejects.toThrow(
      /launch_rocket|not found|Unknown tool/i,
    );
  });

  it('serves the resources and the prompt, scoped to the caller', async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate).sort()).toEqual([
      'call://{call_id}',
      'call://{call_id}/transcript',
    ]);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['credits://balance']);
    const balance = await client.readResource({ uri: 'credits://balance' });
    expect(JSON.parse((balance.contents[0] as { text: string }).text)).toHaveProperty('available');

    const { calls } = (await call('list_calls', {})).structuredContent as { calls: { call_id: string }[] };
    const id = calls[0]!.call_id;
    const record = await client.readResource({ uri: `call://${id}` });
    expect(JSON.parse((record.contents[0] as { text: string }).text)).toMatchObject({ call_id: id });
    const transcript = await client.readResource({ uri: `call://${id}/transcript` });
    expect(transcript.contents[0]).toHaveProperty('text');

    const stranger = await t.newUser(10);
    const other = await connectMcp(t.app.url, stranger.apiKey, era);
    await expect(other.readResource({ uri: `call://${id}` })).rejects.toThrow();
    await other.close();

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['outbound_call']);
    const prompt = await client.getPrompt({
      name: 'outbound_call',
      arguments: { goal: 'book a table for 4 at 8pm', recipient_context: 'Luigi’s trattoria' },
    });
    expect((prompt.messages[0]!.content as { text: string }).text).toMatch(/book a table for 4 at 8pm/);
  });
});
