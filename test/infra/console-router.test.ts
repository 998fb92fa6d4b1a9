// The CloudFront Function in front of the console (cloudfront-js-2.0 is plain ES5-style
// JavaScript with a global `handler`), evaluated here against sample viewer requests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/hcl.js';

interface ViewerRequest {
  uri: string;
}

const source = readFileSync(path.join(repoRoot, 'terraform/modules/edge/console-router.js'), 'utf8');
const handler = new Function(`${source}\nreturn handler;`)() as (event: {
  request: ViewerRequest;
}) => ViewerRequest;

const routed = (uri: string) => handler({ request: { uri } }).uri;

test.each([
  ['/console/', '/console/index.html'],
  ['/console/calls', '/console/index.html'],
  ['/console/calls/4f6c2a/transcript', '/console/index.html'],
  ['/console/index.html', '/console/index.html'],
])('client-side route %s is served the app shell', (uri, expected) => {
  expect(routed(uri)).toBe(expected);
});

test.each(['/console/assets/index-3f9a1c.js', '/console/favicon.svg', '/console/assets/fonts/inter.woff2'])(
  'file %s passes through unchanged',
  (uri) => {
    expect(routed(uri)).toBe(uri);
  },
);
