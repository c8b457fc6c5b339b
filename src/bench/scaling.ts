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

/**
 * One returning visitor, one connection, requests back to back: the mean latency is the cost of
 * one request with `sessions` sessions stored; the server's CPU per request says where it went.
 */
async function measurePoint(load: LoadProcess, label: string, sessions: number, seconds: number, placement: Placement): Promise<ScalePoint> {
  const root = await mkdtemp(join(tmpdir(), 'session-lab-scale-'));
  try {
    const seeded = await seeds[label]!(root, sessions - 1);
    const server = await TargetProcess.start(`scale:${label}`, placement, root);
    try {
      const cookie = seeded || (await returningCookie(server.base).catch((error: Error) => error));
      if (cookie instanceof Error) return { label, sessions, meanMs: Number.NaN, cpuMicrosPerRequest: Number.NaN, requests: 0, failed: cookie.message };
      const cpuBefore = await server.cpuMicros();
      const result = await load.run({ url: `${server.base}/counter`, headers: { cookie }, durationSeconds: seconds, connections: 1 });
      const cpu = (await server.cpuMicros()) - cpuBefore;
      return { label, sessions, meanMs: (seconds * 1000) / Math.max(1, result.total), cpuMicrosPerRequest: cpu / Math.max(1, result.total), requests: result.total };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every seeded store at every size; stores alternate within a size so drift hits them alike. */
export async function measureScaling(load: LoadProcess, labels: readonly string[], seconds: number, placement: Placement): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const sessions of sessionCounts) {
    for (const label of labels) {
      const point = await measurePoint(load, label, sessions, seconds, placement);
      console.error(`  scaling ${label} × ${sessions}: ${point.failed ?? `${point.meanMs.toFixed(2)} ms/request (${point.requests} requests)`}`);
      points.push(point);
    }
  }
  return points;
}

/** The points as plot series, one per store. */
export function toSeries(points: readonly ScalePoint[]): Series[] {
  const labels = [...new Set(points.map((p) => p.label))];
  return labels.map((label) => ({ label, points: points.filter((p) => p.label === label && !p.failed).map((p) => [p.sessions, p.meanMs] as const) }));
}

/** The points as a markdown table: one row per size, one column per store. */
export function scalingTable(points: readonly ScalePoint[]): string {
  const labels = [...new Set(points.map((p) => p.label))];
  const lines = [`| stored sessions | ${labels.map((l) => `${l}: ms/request (server CPU µs/request)`).join(' | ')} |`, `|---:|${labels.map(() => '---:').join('|')}|`];
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
