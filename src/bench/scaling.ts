import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadProcess, Placement } from './processes.ts';
import { TargetProcess } from './processes.ts';
import { seeds } from './scaling-seeds.ts';
import type { Series } from './svg-plot.ts';
import { returningCookie } from './workloads.ts';

/** The numbers of stored sessions the scaling run visits. */
export const sessionCounts = [10, 1_000, 10_000, 100_000] as const;

/** One point: a store holding `sessions` sessions, and what one returning visitor's request cost. */
export interface ScalePoint {
  label: string;
  sessions: number;
  meanMs: number;
  cpuMicrosPerRequest: number;
  requests: number;
  /** Why no figure could be taken (the store did not answer 200). */
  failed?: string;
}

/** What one point costs, in seconds of the bench's plan: seeding (about 2 000 files a second), start, warm-up, measurement. */
export function scalingPointSeconds(sessions: number, seconds: number): number {
  return sessions / 2_000 + 2 + 1 + seconds;
}

/**
 * One returning visitor, one connection, requests back to back: the mean latency is the cost of
 * one request with `sessions` sessions stored; the server's CPU per request says where it went.
 */
async function measurePoint(
  load: LoadProcess,
  label: string,
  sessions: number,
  seconds: number,
  placement: Placement,
): Promise<ScalePoint> {
  const root = await mkdtemp(join(tmpdir(), 'session-lab-scale-'));
  try {
    const seeded = await seeds[label]!(root, sessions - 1);
    settleDisk();
    const server = await TargetProcess.start(`scale:${label}`, placement, root);
    try {
      const cookie = seeded || (await returningCookie(server.base).catch((error: Error) => error));
      if (cookie instanceof Error)
        return {
          label,
          sessions,
          meanMs: Number.NaN,
          cpuMicrosPerRequest: Number.NaN,
          requests: 0,
          failed: cookie.message,
        };
      // Unmeasured first: a fresh process runs its first requests before the JIT has compiled them.
      await load.run({
        url: `${server.base}/counter`,
        headers: { cookie },
        durationSeconds: 1,
        connections: 1,
      });
      const cpuBefore = await server.cpuMicros();
      const result = await load.run({
        url: `${server.base}/counter`,
        headers: { cookie },
        durationSeconds: seconds,
        connections: 1,
      });
      const cpu = (await server.cpuMicros()) - cpuBefore;
      // No mean can be made of nothing: a store this slow gets no made-up figure.
      if (result.total === 0)
        return {
          label,
          sessions,
          meanMs: Number.NaN,
          cpuMicrosPerRequest: Number.NaN,
          requests: 0,
          failed: `no request finished in ${seconds} s`,
        };
      return {
        label,
        sessions,
        meanMs: (seconds * 1000) / Math.max(1, result.total),
        cpuMicrosPerRequest: cpu / Math.max(1, result.total),
        requests: result.total,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
    settleDisk();
  }
}

// Writing or deleting 100 000 files leaves the kernel minutes of writeback; flushed here, it is
// not billed to whichever point happens to be measured next.
function settleDisk(): void {
  if (process.platform !== 'win32') spawnSync('sync');
}

/**
 * Every seeded store at every size, `rounds` times: stores alternate within a size, and odd rounds
 * visit the sizes largest first. A point's figure is its best round: the question is whether the
 * cost grows with the number of sessions, and whatever else the machine does only ever adds time
 * (file writes here swing by half from one minute to the next).
 */
export async function measureScaling(
  load: LoadProcess,
  labels: readonly string[],
  seconds: number,
  rounds: number,
  placement: Placement,
  report: (line: string, plannedSeconds: number) => void,
): Promise<ScalePoint[]> {
  const taken = new Map<string, ScalePoint[]>();
  for (let round = 0; round < rounds; round++) {
    for (const sessions of round % 2 ? [...sessionCounts].reverse() : sessionCounts) {
      for (const label of labels) {
        const point = await measurePoint(load, label, sessions, seconds, placement);
        report(
          `scaling round ${round + 1}/${rounds} ${label} × ${sessions}: ${point.failed ?? `${point.meanMs.toFixed(2)} ms/request (${point.requests} requests)`}`,
          scalingPointSeconds(sessions, seconds),
        );
        taken.set(`${label}|${sessions}`, [...(taken.get(`${label}|${sessions}`) ?? []), point]);
      }
    }
  }
  return sessionCounts.flatMap((sessions) =>
    labels.map((label) => bestPoint(taken.get(`${label}|${sessions}`)!)),
  );
}

// A failed round makes the point failed: a store that cannot answer at some size must show it.
function bestPoint(points: ScalePoint[]): ScalePoint {
  const failed = points.find((p) => p.failed);
  if (failed) return failed;
  return points.reduce((best, p) => (p.meanMs < best.meanMs ? p : best));
}

/** The points as plot series, one per store. */
export function toSeries(points: readonly ScalePoint[]): Series[] {
  const labels = [...new Set(points.map((p) => p.label))];
  return labels.map((label) => ({
    label,
    points: points.filter((p) => p.label === label && !p.failed).map((p) => [p.sessions, p.meanMs] as const),
  }));
}

/** The points as a markdown table: one row per size, one column per store. */
export function scalingTable(points: readonly ScalePoint[]): string {
  const labels = [...new Set(points.map((p) => p.label))];
  const lines = [
    `| stored sessions | ${labels.map((l) => `${l}: ms/request (server CPU µs/request), best round`).join(' | ')} |`,
    `|---:|${labels.map(() => '---:').join('|')}|`,
  ];
  for (const sessions of sessionCounts) {
    const cells = labels.map((label) => {
      const p = points.find((q) => q.label === label && q.sessions === sessions);
      if (p?.failed) return `failed: ${p.failed}`;
      return p ? `${p.meanMs.toFixed(2)} (${Math.round(p.cpuMicrosPerRequest)})` : '–';
    });
    lines.push(`| ${sessions.toLocaleString('en-US').replace(/,/g, ' ')} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
