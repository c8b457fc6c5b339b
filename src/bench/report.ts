import { cpus } from 'node:os';

/** The figures of one target under one workload: the median over the rounds. */
export interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The server process's CPU time per request (user + system): steadier than req/s on a busy machine. */
  cpuMicrosPerRequest: number;
  /** Responses that were not 2xx, and socket errors or timeouts, summed over the rounds. */
  non2xx: number;
  errors: number;
}

/** One row of the table: a target and its figures per workload (absent when it was skipped). */
export interface Row {
  label: string;
  returning?: Figures;
  fresh?: Figures;
  skipped?: string;
}

/** How the numbers were made, printed above the table so a reader can reproduce them. */
export interface RunInfo {
  date: string;
  command: string;
  loadGenerator: string;
  connections: number;
  secondsPerRound: number;
  rounds: number;
  pinning: string;
  /** Where the file-backed stores live (see disk.ts). */
  disk: string;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const grouped = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (n: number): string =>
  n >= 10 ? `${n.toFixed(0)}×` : n >= 1 ? `${n.toFixed(1)}×` : `${n.toFixed(2)}×`;

function cells(f: Figures | undefined, raw: Figures | undefined): string[] {
  if (!f || !raw) return ['–', '–', '–', '–'];
  return [
    `${grouped(f.requestsPerSecond)} (${ratio(f.requestsPerSecond / raw.requestsPerSecond)})`,
    `${ms(f.p50Ms)} (${ratio(f.p50Ms / raw.p50Ms)})`,
    `${ms(f.p99Ms)} (${ratio(f.p99Ms / raw.p99Ms)})`,
    `${Math.round(f.cpuMicrosPerRequest)} (${ratio(f.cpuMicrosPerRequest / raw.cpuMicrosPerRequest)})`,
  ];
}

function notes(row: Row): string {
  if (row.skipped) return `skipped: ${row.skipped}`;
  const bad = [row.returning, row.fresh].reduce((sum, f) => sum + (f ? f.non2xx + f.errors : 0), 0);
  return bad ? `${bad} non-2xx or failed` : '';
}

/** The markdown table: each figure with its ratio to the first row (raw `node:http`). */
export function markdownTable(rows: readonly Row[]): string {
  const raw = rows[0];
  const lines = [
    '| target | returning visitor: req/s | p50 ms | p99 ms | server CPU µs/req | new visitor: req/s | p50 ms | p99 ms | server CPU µs/req | notes |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${[row.label, ...cells(row.returning, raw?.returning), ...cells(row.fresh, raw?.fresh), notes(row)].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The machine and method, as a short list. */
export function describeRun(info: RunInfo): string {
  return [
    `- date: ${info.date}`,
    `- machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}`,
    `- load: ${info.loadGenerator}, ${info.connections} connections, ${info.rounds} round(s) of ${info.secondsPerRound} s per target and workload, targets alternating; figures are the median of the rounds`,
    `- processes: ${info.pinning}`,
    `- file stores: ${info.disk}`,
    `- command: \`${info.command}\``,
  ].join('\n');
}
