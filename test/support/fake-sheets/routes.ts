/** The Sheets v4 endpoints the fake serves, recognised from the paths the generated client builds. */

export interface Route {
  method: string;
  kind: 'read' | 'write';
  spreadsheetId: string;
  range?: string;
}

/** The v4 paths the client builds (the range is percent-encoded, so a literal ':append' is the method suffix). */
export function matchRoute(httpMethod: string, path: string): Route | undefined {
  const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(path);
  if (!m) return undefined;
  const spreadsheetId = decodeURIComponent(m[1]!);
  const rest = m[2]!;
  const route = (method: string, kind: 'read' | 'write', range?: string): Route => ({
    method,
    kind,
    spreadsheetId,
    range: range === undefined ? undefined : decodeURIComponent(range),
  });
  if (httpMethod === 'GET' && rest === '') return route('spreadsheets.get', 'read');
  if (httpMethod === 'POST' && rest === ':batchUpdate') return route('spreadsheets.batchUpdate', 'write');
  if (httpMethod === 'POST' && rest === '/values:batchUpdate') return route('values.batchUpdate', 'write');
  const values = /^\/values\/([^/]+?)(:append)?$/.exec(rest);
  if (!values) return undefined;
  if (httpMethod === 'POST' && values[2]) return route('values.append', 'write', values[1]);
  if (httpMethod === 'PUT' && !values[2]) return route('values.update', 'write', values[1]);
  if (httpMethod === 'GET' && !values[2]) return route('values.get', 'read', values[1]);
  return undefined;
}
