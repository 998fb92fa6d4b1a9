import http from 'node:http';

export interface LoadResult {
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A closed-loop HTTP load generator on keep-alive sockets: `connections` workers each send `request` back to back
 * for `seconds`. Loopback only; bounded in time; stops by itself.
 */
export async function load(
  port: number,
  request: RecordedRequest,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const end = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: request.path,
          method: 'POST',
          agent,
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(request.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    connections,
    requests: latencies.length,
    errors,
    non2xx,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: q(0.5),
    p99: q(0.99),
  };
}

/** Resident memory of a process in MiB (Linux /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
