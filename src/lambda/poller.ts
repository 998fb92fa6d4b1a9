import { createPollerHandler } from './poller-handler.js';

/** The Lambda entry: `poller.handler` in dist/lambda/poller.zip (built by `npm run package:lambda`). */
export const handler = createPollerHandler();
