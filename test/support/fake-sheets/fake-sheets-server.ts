import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { importSPKI, jwtVerify } from 'jose';
import { GridError, Spreadsheet, type InputOption } from './grid.js';
import { googleError, quotaExceeded } from './google-responses.js';
import { matchRoute, type Route } from './routes.js';
import { createTestServiceAccount, type TestServiceAccount } from './test-service-account.js';

/**
 * A fake Google Sheets v4 API over real HTTP, for the drain's integration tests and bench: the endpoints the
 * drain uses, the OAuth token endpoint (JWT-bearer grant, assertion verified against the service account's
 * public key), an in-memory grid, Google's error bodies, fault injection and a log of every request.
 */

export type RequestKind = 'read' | 'write' | 'token';

export interface RecordedRequest {
  /** 'values.append', 'values.batchUpdate', 'values.update', 'values.get', 'spreadsheets.get', … or 'token'. */
  method: string;
  kind: RequestKind;
  /** Arrival time, ms since the epoch (sub-millisecond): comparable across processes on this machine. */
  at: number;
  /** What was answered; 0 when the connection was dropped. */
  status: number;
  /** Whether the grid was changed. */
  applied: boolean;
  token?: string;
  valueInputOption?: string;
  /** Rows carried by a write. */
  rows?: number;
}

export interface FakeSheetsFaults {
  /** Fraction of API requests answered 429 RESOURCE_EXHAUSTED. */
  rateLimitRate: number;
  /** The next N API requests are answered 429 (then the rate applies). */
  rateLimitNext: number;
  /** Retry-After header on those 429s (Google documents none). */
  retryAfterSeconds?: number;
  /** Fraction of API requests answered 503 UNAVAILABLE (before anything is applied). */
  serverErrorRate: number;
  /** Which requests the 503s hit. */
  serverErrorOn: 'all' | 'writes';
  /** Every API request is answered 403 PERMISSION_DENIED (the sheet is no longer shared with the account). */
  permissionDenied: boolean;
  /** Added before each API request is processed. */
  latencyMs: number;
  /** The next N writes are applied, then the connection is destroyed (the client never sees an answer). */
  dropAfterWrite: number;
  /** The next N writes are applied, then answered 500 INTERNAL. */
  failAfterWrite: number;
  /** A cell value for which Google should refuse the whole request with 400 INVALID_ARGUMENT (the message). */
  rejectCell?: (value: unknown) => string | undefined;
  /** Google's own per-user write quota: more than `limit` writes in any `windowMs` is answered 429. */
  quota?: { limit: number; windowMs: number };
}

const NO_FAULTS: FakeSheetsFaults = {
  rateLimitRate: 0,
  rateLimitNext: 0,
  serverErrorRate: 0,
  serverErrorOn: 'all',
  permissionDenied: false,
  latencyMs: 0,
  dropAfterWrite: 0,
  failAfterWrite: 0,
};

export class FakeSheetsServer {
  readonly requests: RecordedRequest[] = [];
  faults: FakeSheetsFaults = { ...NO_FAULTS };
  readonly spreadsheet: Spreadsheet;
  private readonly tokens = new Map<string, number>();
  private tokenCount = 0;
  private random: () => number;

  private constructor(
    private readonly server: Server,
    readonly serviceAccount: TestServiceAccount,
    private readonly publicKey: Awaited<ReturnType<typeof importSPKI>>,
    spreadsheetId: string,
    seed: number,
  ) {
    this.spreadsheet = new Spreadsheet(spreadsheetId);
    this.random = mulberry32(seed);
  }

  static async start(options: { spreadsheetId?: string; seed?: number } = {}): Promise<FakeSheetsServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const account = createTestServiceAccount(`http://127.0.0.1:${port}/token`);
    const publicKey = await importSPKI(account.publicKeyPem, 'RS256');
    const fake = new FakeSheetsServer(
      server,
      account,
      publicKey,
      options.spreadsheetId ?? 'fake-spreadsheet',
      options.seed ?? 1,
    );
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        send(res, 500, googleError(500, 'INTERNAL', `fake server error: ${(err as Error).message}`));
      });
    });
    return fake;
  }

  /** Bare origin, as GOOGLE_SHEETS_API_URL. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get spreadsheetId(): string {
    return this.spreadsheet.spreadsheetId;
  }

  /** Sets some faults, keeping the others at "none". */
  setFaults(faults: Partial<FakeSheetsFaults>): void {
    this.faults = { ...NO_FAULTS, ...faults };
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.kind === 'write');
  }

  /** Typed cells of one tab, row by row (row 1 first). */
  rows(tab: string) {
    return this.spreadsheet.tab(tab).rows;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.timeOrigin + performance.now();
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === '/token') return this.token(body, at, res);
    const route = matchRoute(req.method ?? 'GET', url.pathname);
    if (!route)
      return send(res, 404, googleError(404, 'NOT_FOUND', `No route for ${req.method} ${url.pathname}`));
    const entry: RecordedRequest = { method: route.method, kind: route.kind, at, status: 0, applied: false };
    this.requests.push(entry);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, json, headers);
    };

    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    entry.token = token;
    if (!token || (this.tokens.get(token) ?? 0) < Date.now()) {
      return answer(
        401,
        googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'),
      );
    }
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
    if (route.spreadsheetId !== this.spreadsheet.spreadsheetId) {
      return answer(404, googleError(404, 'NOT_FOUND', 'Requested entity was not found.'));
    }
    if (this.takeRateLimit() || this.overQuota(entry)) {
      const headers: Record<string, string> =
        this.faults.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(this.faults.retryAfterSeconds) };
      return answer(429, quotaExceeded(route.kind === 'write' ? 'Write' : 'Read'), headers);
    }
    if (this.faults.permissionDenied) {
      return answer(403, googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
    }
    const mayFail = this.faults.serverErrorOn === 'all' || route.kind === 'write';
    if (mayFail && this.random() < this.faults.serverErrorRate) {
      return answer(503, googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
    }

    let result: unknown;
    try {
      const json = body.length > 0 ? (JSON.parse(body) as Record<string, unknown>) : {};
      entry.valueInputOption =
        url.searchParams.get('valueInputOption') ?? (json.valueInputOption as string | undefined);
      if (route.kind === 'write') this.refuseRejectedCells(json);
      result = this.apply(route, json, entry);
    } catch (err) {
      if (err instanceof GridError)
        return answer(err.httpStatus, googleError(err.httpStatus, err.status, err.message));
      throw err;
    }
    if (route.kind === 'write' && this.faults.dropAfterWrite > 0) {
      this.faults.dropAfterWrite -= 1;
      req.socket.destroy();
      return;
    }
    if (route.kind === 'write' && this.faults.failAfterWrite > 0) {
      this.faults.failAfterWrite -= 1;
      return answer(500, googleError(500, 'INTERNAL', 'Internal error encountered.'));
    }
    answer(200, result);
  }

  private apply(route: Route, json: Record<string, unknown>, entry: RecordedRequest): unknown {
    const sheet = this.spreadsheet;
    const input = (entry.valueInputOption ?? '') as InputOption;
    if (
      route.kind === 'write' &&
      route.method.startsWith('values.') &&
      !['RAW', 'USER_ENTERED'].includes(input)
    ) {
      throw new GridError(400, 'INVALID_ARGUMENT', "Invalid valueInputOption: ''");
    }
    const values = (json.values ?? []) as unknown[][];
    switch (route.method) {
      case 'spreadsheets.get':
        return {
          spreadsheetId: sheet.spreadsheetId,
          sheets: [...sheet.tabs.values()].map((t) => ({
            properties: {
              sheetId: t.sheetId,
              title: t.title,
              gridProperties: {
                rowCount: t.rowCount,
                columnCount: t.columnCount,
                frozenRowCount: t.frozenRowCount,
              },
            },
          })),
        };
      case 'spreadsheets.batchUpdate':
        return {
          spreadsheetId: sheet.spreadsheetId,
          replies: sheet.atomically(() => this.batchUpdate(json, entry)),
        };
      case 'values.get':
        return { range: route.range, majorDimension: 'ROWS', values: sheet.get(route.range!) };
      case 'values.update': {
        entry.rows = values.length;
        const updatedRange = sheet.update(route.range!, values, input);
        entry.applied = true;
        return { spreadsheetId: sheet.spreadsheetId, updatedRange, updatedRows: values.length };
      }
      case 'values.append': {
        entry.rows = values.length;
        const updatedRange = sheet.append(route.range!, values, input);
        entry.applied = true;
        return {
          spreadsheetId: sheet.spreadsheetId,
          tableRange: route.range,
          updates: { spreadsheetId: sheet.spreadsheetId, updatedRange, updatedRows: values.length },
        };
      }
      case 'values.batchUpdate': {
        const data = (json.data ?? []) as { range: string; values: unknown[][] }[];
        // Google applies a batch atomically: one bad range and nothing is written.
        const responses = sheet.atomically(() =>
          data.map((d) => ({ updatedRange: sheet.update(d.range, d.values, input) })),
        );
        entry.rows = data.reduce((n, d) => n + d.values.length, 0);
        entry.applied = true;
        return { spreadsheetId: sheet.spreadsheetId, totalUpdatedRows: entry.rows, responses };
      }
    }
    throw new GridError(400, 'INVALID_ARGUMENT', `unsupported method ${route.method}`);
  }

  private batchUpdate(json: Record<string, unknown>, entry: RecordedRequest): unknown[] {
    const requests = (json.requests ?? []) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const replies: unknown[] = [];
    for (const request of requests) {
      if (request.addSheet) {
        const p = request.addSheet.properties ?? {};
        const tab = this.spreadsheet.addTab({
          sheetId: p.sheetId,
          title: p.title,
          rowCount: p.gridProperties?.rowCount,
          columnCount: p.gridProperties?.columnCount,
          frozenRowCount: p.gridProperties?.frozenRowCount,
        });
        replies.push({ addSheet: { properties: { sheetId: tab.sheetId, title: tab.title } } });
      } else if (request.updateCells) {
        const { start, rows } = request.updateCells;
        const tab = this.spreadsheet.tabById(start.sheetId);
        const values = (rows as { values: { userEnteredValue?: { stringValue?: string } }[] }[]).map((r) =>
          r.values.map((v) => v.userEnteredValue?.stringValue ?? null),
        );
        this.spreadsheet.update(`'${tab.title.replace(/'/g, "''")}'!A${start.rowIndex + 1}`, values, 'RAW');
        replies.push({});
      } else if (request.addProtectedRange) {
        const pr = request.addProtectedRange.protectedRange;
        this.spreadsheet.tabById(pr.range.sheetId).protectedRanges.push(pr);
        replies.push({ addProtectedRange: { protectedRange: pr } });
      } else {
        throw new GridError(400, 'INVALID_ARGUMENT', `unsupported request ${Object.keys(request).join(',')}`);
      }
    }
    entry.applied = true;
    return replies;
  }

  private refuseRejectedCells(json: Record<string, unknown>): void {
    const reject = this.faults.rejectCell;
    if (!reject) return;
    const rows = [
      ...((json.values ?? []) as unknown[][]),
      ...((json.data ?? []) as { values: unknown[][] }[]).flatMap((d) => d.values),
    ];
    for (const value of rows.flat()) {
      const message = reject(value);
      if (message) throw new GridError(400, 'INVALID_ARGUMENT', message);
    }
  }

  private takeRateLimit(): boolean {
    if (this.faults.rateLimitNext > 0) {
      this.faults.rateLimitNext -= 1;
      return true;
    }
    return this.random() < this.faults.rateLimitRate;
  }

  private overQuota(entry: RecordedRequest): boolean {
    const quota = this.faults.quota;
    if (!quota || entry.kind !== 'write') return false;
    const since = entry.at - quota.windowMs;
    const recent = this.requests.filter(
      (r) => r.kind === 'write' && r !== entry && r.at > since && r.status !== 429,
    );
    return recent.length >= quota.limit;
  }

  /** RFC 7523 JWT-bearer grant, as oauth2.googleapis.com/token answers it. */
  private async token(body: string, at: number, res: ServerResponse): Promise<void> {
    const entry: RecordedRequest = { method: 'token', kind: 'token', at, status: 0, applied: false };
    this.requests.push(entry);
    const form = new URLSearchParams(body);
    const refuse = (description: string) => {
      entry.status = 400;
      send(res, 400, { error: 'invalid_grant', error_description: description });
    };
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return refuse('Invalid grant_type');
    try {
      const { payload } = await jwtVerify(form.get('assertion') ?? '', this.publicKey, {
        issuer: this.serviceAccount.clientEmail,
        audience: `${this.url}/token`,
        algorithms: ['RS256'],
        maxTokenAge: '1h',
      });
      if (
        !String(payload.scope ?? '')
          .split(' ')
          .includes('https://www.googleapis.com/auth/spreadsheets')
      ) {
        return refuse('Invalid scope');
      }
    } catch (err) {
      return refuse(`Invalid JWT: ${(err as Error).message}`);
    }
    const accessToken = `ya29.fake-${++this.tokenCount}`;
    this.tokens.set(accessToken, Date.now() + 3_600_000);
    entry.status = 200;
    send(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }
}

function send(
  res: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(json));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Small seeded PRNG: fault injection is reproducible run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
