import http from 'node:http';

/**
 * An open-loop load generator: request n is sent at start + n / rate whether or not earlier ones
 * have been answered, as webhooks arrive from Gong, and its latency runs from that scheduled time.
 * autocannon's `overallRate` is closed-loop (a connection waits for its answer before its next
 * request), so a slow service is sent less and its stalls are left out of the latencies; this is
 * why the fixed-rate run uses node:http directly instead.
 */

export interface OpenLoopRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopResult {
  requests: number;
  acked: number;
  /** Answers other than 2xx, by status. */
  other: Map<number, number>;
  errors: number;
  timeouts: number;
  /** From the first request's scheduled time to the last answer. */
  seconds: number;
  /** Sorted, in ms, from each request's scheduled time to its answer (answered requests only). */
  latencies: Float64Array;
  /** The latest any request left after its scheduled time, in ms: the generator's own lag. */
  maxSendLagMs: number;
}

const TIMEOUT_MS = 10_000;

export async function openLoop(
  url: string,
  rate: number,
  seconds: number,
  request: (n: number) => OpenLoopRequest,
): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2048 });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  const other = new Map<number, number>();
  let answered = 0;
  let acked = 0;
  let errors = 0;
  let timeouts = 0;
  let settled = 0;
  let lastAnswer = 0;
  let maxSendLagMs = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const measured = latencies.subarray(0, answered).sort();
      resolve({
        requests: total,
        acked,
        other,
        errors,
        timeouts,
        seconds: (lastAnswer - start) / 1000,
        latencies: measured,
        maxSendLagMs,
      });
    };
    const done = () => {
      settled += 1;
      if (settled === total) finish();
    };
    const send = (n: number) => {
      const scheduledAt = start + (n * 1000) / rate;
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - scheduledAt);
      const { path, headers, body } = request(n);
      // Each request is counted once, however its socket ends.
      let over = false;
      const end = (outcome: number | 'error' | 'timeout') => {
        if (over) return;
        over = true;
        if (outcome === 'timeout') timeouts += 1;
        else if (outcome === 'error') errors += 1;
        else {
          lastAnswer = performance.now();
          latencies[answered++] = lastAnswer - scheduledAt;
          if (outcome >= 200 && outcome < 300) acked += 1;
          else other.set(outcome, (other.get(outcome) ?? 0) + 1);
        }
        done();
      };
      const outgoing = http.request(
        {
          agent,
          hostname,
          port,
          method: 'POST',
          path,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: TIMEOUT_MS,
        },
        (response) => {
          response.resume();
          response.on('end', () => end(response.statusCode ?? 0));
          response.on('close', () => end('error'));
        },
      );
      outgoing.on('timeout', () => {
        end('timeout');
        outgoing.destroy();
      });
      outgoing.on('error', () => end('error'));
      outgoing.end(body);
    };
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

/** The value below which `fraction` of the sorted latencies fall. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
