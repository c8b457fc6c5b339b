import autocannon from 'autocannon';

/** One measurement the bench asks for. */
export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  durationSeconds: number;
  connections: number;
}

/** What comes back: throughput, latency percentiles (ms) and anything that was not a 2xx. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

// The load generator, in a process of its own so it never shares an event loop with the
// server it measures: autocannon's programmatic API, one measurement per IPC message.
process.on('message', (message: LoadRequest) => {
  void measure(message).then((result) => process.send?.(result));
});
process.on('disconnect', () => process.exit(0));

// autocannon's own histogram keeps whole milliseconds; a session round trip on loopback is well
// under one, so the latency of every response is kept here at hrtime resolution instead.
function measure(request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        headers: request.headers,
        duration: request.durationSeconds,
        connections: request.connections,
        pipelining: 1,
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        resolve({
          requestsPerSecond: result.requests.total / result.duration,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          total: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  });
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
}
