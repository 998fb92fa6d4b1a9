import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import fc from 'fast-check';
import type { CallsTestApp } from '../support/calls-app.js';
import { eventually } from '../support/wait.js';
import { answerProblem } from './support/answers.js';
import { creditViolations } from './support/credit-invariants.js';
import { trickyString, trickyValue, uuidLike } from './support/edge-values.js';
import { errorLines, isAlive, startFuzzApp } from './support/fuzz-app.js';
import { fuzzParameters, propertyTimeout, REPLAYING } from './support/fuzz-settings.js';
import { nearValid } from './support/near-valid.js';
import { rpc, type Era } from './support/raw-mcp.js';
import { TOOL_FUZZ_SPECS, type FuzzTargets } from './support/tool-inputs.js';

const era = fc.constantFrom<Era>('modern', 'legacy');

describe('fuzz: tool, resource and prompt inputs through POST /mcp (both eras)', () => {
  let t: CallsTestApp;
  let apiKey: string;
  let targets: FuzzTargets;
  const outputValidators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    t = await startFuzzApp();
    const user = await t.newUser(1_000_000_000);
    apiKey = user.apiKey;
    const ended: string[] = [];
    for (const number of ['+14155550190', '+14155550191']) {
      t.sim.setOutcome(number, 'completed');
      const { call } = await t.calls.place(user, { phone_number: number, task: 'Say hello and hang up.' });
      ended.push(call.id);
    }
    await eventually(async () => {
      const calls = await Promise.all(ended.map((id) => t.calls.get(user, id)));
      return calls.every((c) => c.status === 'completed');
    }, 'the seed calls to complete');
    const page = await t.calls.list(user, { limit: 1 });
    targets = { endedCallId: ended[0]!, cursor: page.nextCursor! };

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const listed = await rpc(t.app.url, apiKey, 'modern', 'tools/list');
    for (const tool of listed.response!.result!.tools as { name: string; outputSchema?: object }[]) {
      if (tool.outputSchema) outputValidators.set(tool.name, ajv.compile(tool.outputSchema));
    }
  });
  afterAll(() => t.app.stop());

  it('has a fuzz spec for every tool the server lists, and no spec for a tool it does not', () => {
    expect([...outputValidators.keys()].sort()).toEqual(Object.keys(TOOL_FUZZ_SPECS).sort());
  });

  it.each(Object.keys(TOOL_FUZZ_SPECS))(
    '%s: near-valid and arbitrary arguments get a clean tool error or a valid result',
    async (tool) => {
      const spec = TOOL_FUZZ_SPECS[tool]!;
      const args = fc.oneof(
        { weight: 4, arbitrary: nearValid(spec.valid(targets), spec.fieldEdges(targets)) },
        { weight: 1, arbitrary: trickyValue },
      );
      let succeeded = 0;
      await fc.assert(
        fc.asyncProperty(era, args, async (e, input) => {
          const answer = await rpc(t.app.url, apiKey, e, 'tools/call', { name: tool, arguments: input });
          expect(answerProblem(answer, outputValidators.get(tool))).toBeUndefined();
          if (answer.response?.result && answer.response.result.isError !== true) succeeded++;
        }),
        fuzzParameters(),
      );
      // The generators do reach the code behind the validation.
      if (!REPLAYING) expect(succeeded).toBeGreaterThan(0);
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(40),
  );

  it(
    'resources/read: any URI gets the resource or a clean JSON-RPC error',
    async () => {
      const uri = fc.oneof(
        fc.constant('credits://balance'),
        fc
          .tuple(
            fc.oneof(fc.constant(targets.endedCallId), uuidLike, trickyString),
            fc.constantFrom('', '/transcript', '/transcript/more', '/', '?x=1', '#x', '/../transcript'),
          )
          .map(([id, suffix]) => `call://${id}${suffix}`),
        trickyString,
        fc.webUrl(),
        trickyValue,
      );
      await fc.assert(
        fc.asyncProperty(era, uri, async (e, u) => {
          const answer = await rpc(t.app.url, apiKey, e, 'resources/read', { uri: u });
          expect(answerProblem(answer)).toBeUndefined();
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(20),
  );

  it(
    'prompts/get: any name and arguments get the prompt or a clean JSON-RPC error',
    async () => {
      const valid = fc.record(
        {
          goal: fc.string({ minLength: 1, maxLength: 200 }),
          recipient_context: fc.string({ maxLength: 200 }),
        },
        { requiredKeys: ['goal'] },
      );
      const name = fc.oneof(
        { weight: 4, arbitrary: fc.constant('outbound_call') },
        { weight: 1, arbitrary: trickyString },
      );
      const args = nearValid(valid, { goal: trickyValue, recipient_context: trickyValue });
      await fc.assert(
        fc.asyncProperty(era, name, args, async (e, n, a) => {
          const answer = await rpc(t.app.url, apiKey, e, 'prompts/get', { name: n, arguments: a });
          expect(answerProblem(answer)).toBeUndefined();
        }),
        fuzzParameters(),
      );
      expect(await isAlive(t.app.url)).toBe(true);
    },
    propertyTimeout(20),
  );

  it('logged no error (an unexpected exception anywhere) and left the books balanced', async () => {
    expect(errorLines(t.app.logs())).toEqual([]);
    expect(await creditViolations(t.app.database)).toEqual([]);
  });
});
