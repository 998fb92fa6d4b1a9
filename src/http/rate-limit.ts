import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

/**
 * Per-client-IP limit on /mcp and /api (RATE_LIMIT_PER_MINUTE, default 100/min), in memory per instance. The client
 * IP is Express's req.ip, which honours X-Forwarded-For only across TRUST_PROXY_HOPS trusted proxies (set on the
 * app), so a client cannot spoof it. The edge WAF enforces the same rule fleet-wide (docs/infrastructure.md).
 */
export function perIpRateLimit(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Retry-After is set by the library on 429; the body follows our error shape.
    handler: (_req, res, _next, options) => {
      res.status(options.statusCode).json({
        error: {
          code: 'HTTP.RATE_LIMITED',
          message: `more than ${perMinute} requests per minute from this address; slow down`,
        },
      });
    },
  });
}
