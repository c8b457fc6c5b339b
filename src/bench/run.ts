import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LoadProcess, type Placement, TargetProcess } from './processes.ts';
import { describeDisk } from './disk.ts';
import { describeRun, type Figures, markdownTable, median, type Row, type RunInfo } from './report.ts';
import { listTargets, type TargetSpec } from './targets.ts';
import { goals, goalsTable } from './goals.ts';
import {
  measureScaling,
  type ScalePoint,
  scalingPointSeconds,
  scalingTable,
  sessionCounts,
  toSeries,
} from './scaling.ts';
import { seeds } from './scaling-seeds.ts';
import { handWrittenFileLabel } from './hand-written.ts';
import { listSteps, stepVariants } from '../tools/step-variants.ts';
import { linePlot } from './svg-plot.ts';
import { serviceAnswers, services } from '../tools/services.ts';
import { concurrentRequests, keptIncrements } from '../tools/lost-updates.ts';
import { Progress } from './progress.ts';
import { returningCookie, type Workload } from './workloads.ts';
import type { LoadResult } from './load-main.ts';

// `npm run bench [-- --quick] [--only text] [--cpu-prof] [--out file] [--update-lesson]`: the table
// of lesson 06. A run writes its results to ignored `.local` files beside the lesson's and prints
// them; only a full run with --update-lesson rewrites the lesson's own results (06-results.md,
// which the lesson links and never quotes) and plot.
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    'cpu-prof': { type: 'boolean', default: false },
    out: { type: 'string' },
    'update-lesson': { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    'no-table': { type: 'boolean', default: false },
    'no-scaling': { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('../..', import.meta.url));
const connections = 10;
const workloads: readonly Workload[] = ['returning', 'fresh'];
const rounds = Number(args.rounds ?? (args.quick ? 1 : 3));
const secondsPerRound = Number(args.seconds ?? (args.quick ? 1 : 2));
const scalingSeconds = args.quick ? 1 : 2;
const quickWarning =
  '--quick: one round of one second per target. Figures that short swing by more than the differences ' +
  'between targets (a ratio can even come out upside down): use them to see that everything runs, ' +
  'and compare targets only after a full `npm run bench`.';
const placement: Placement =
  cpus().length >= 2 && existsSync('/usr/bin/taskset')
    ? {
        serverCpu: 0,
        loadCpu: 1,
        serverExecArgv: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${tmpdir()}`] : [],
      }
    : { serverExecArgv: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${tmpdir()}`] : [] };

type Measured = LoadResult & { cpuMicrosPerRequest: number };

// Starting a target counts as this many seconds of the plan, and asking one for its lost updates as that many.
const startSeconds = 3;
const lostUpdateSeconds = 0.5;

interface Running {
  spec: TargetSpec;
  server?: TargetProcess;
  cookie?: string;
  results: Record<Workload, Measured[]>;
  skipped?: string;
}

async function startAll(specs: TargetSpec[], progress: Progress): Promise<Running[]> {
  const running: Running[] = [];
  for (const spec of specs) {
    const entry: Running = { spec, results: { returning: [], fresh: [] } };
    try {
      if (spec.needs && !(await serviceAnswers(spec.needs))) throw new Error(services[spec.needs].howToStart);
      entry.server = await TargetProcess.start(spec.id, placement);
      entry.cookie = spec.group === 'ceiling' ? '' : await returningCookie(entry.server.base);
    } catch (error) {
      entry.skipped = `${spec.needs ? `${spec.needs} not reachable (${(error as Error).message})` : (error as Error).message}`;
      await entry.server?.stop();
      entry.server = undefined;
    }
    console.error(
      progress.step(
        startSeconds,
        entry.skipped ? `${spec.label}: skipped (${entry.skipped})` : `${spec.label}: ${entry.server!.base}`,
      ),
    );
    running.push(entry);
  }
  return running;
}

function path(spec: TargetSpec): string {
  return spec.group === 'ceiling' ? '/' : '/counter';
}

async function measureAll(load: LoadProcess, running: Running[], progress: Progress): Promise<void> {
  const live = running.filter((r) => r.server);
  const headersOf = (r: Running, workload: Workload): Record<string, string> =>
    workload === 'returning' && r.cookie ? { cookie: r.cookie } : {};
  // Both paths warm before the first round: a returning visitor runs code (verify, load) that a
  // new one never reaches, and a cold JIT would bill its compilation to the first round.
  for (const r of live) {
    for (const workload of workloads)
      await load.run({
        url: r.server!.base + path(r.spec),
        headers: headersOf(r, workload),
        durationSeconds: 1,
        connections,
      });
    console.error(progress.step(workloads.length, `warmed up ${r.spec.label}`));
  }
  for (const workload of workloads) {
    for (let round = 0; round < rounds; round++) {
      // Alternate the order each round so slow drift of the machine touches every target alike.
      for (const r of round % 2 ? [...live].reverse() : live) {
        const headers = headersOf(r, workload);
        const cpuBefore = await r.server!.cpuMicros();
        const result = await load.run({
          url: r.server!.base + path(r.spec),
          headers,
          durationSeconds: secondsPerRound,
          connections,
        });
        const cpuMicrosPerRequest = ((await r.server!.cpuMicros()) - cpuBefore) / Math.max(1, result.total);
        r.results[workload].push({ ...result, cpuMicrosPerRequest });
        console.error(
          progress.step(
            secondsPerRound,
            `${workload} round ${round + 1}/${rounds} ${r.spec.label}: ${Math.round(result.requestsPerSecond)} req/s`,
          ),
        );
      }
    }
  }
}

function figures(results: Measured[]): Figures | undefined {
  if (results.length === 0) return undefined;
  const sum = (f: (r: Measured) => number): number => results.reduce((s, r) => s + f(r), 0);
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    cpuMicrosPerRequest: median(results.map((r) => r.cpuMicrosPerRequest)),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
  };
}

function toRows(running: Running[]): Row[] {
  return running.map((r) => {
    const row: Row = { label: r.spec.label };
    const returning = figures(r.results.returning);
    const fresh = figures(r.results.fresh);
    if (returning) row.returning = returning;
    if (fresh) row.fresh = fresh;
    if (r.skipped) row.skipped = r.skipped;
    return row;
  });
}

function autocannonVersion(): string {
  const pkg = createRequire(import.meta.url)('autocannon/package.json') as { version: string };
  return `autocannon ${pkg.version} (programmatic API, separate process)`;
}

async function lostUpdates(running: Running[], progress: Progress): Promise<string> {
  const lines = [
    `| target | increments kept of ${concurrentRequests} | requests that failed |`,
    '|---|---:|---:|',
  ];
  for (const r of running.filter((r) => r.server && r.spec.group !== 'ceiling')) {
    const { kept, failed } = await keptIncrements(r.server!.base);
    console.error(
      progress.step(lostUpdateSeconds, `lost updates ${r.spec.label}: ${kept} of ${concurrentRequests} kept`),
    );
    lines.push(
      `| ${r.spec.label} | ${kept} (${Math.round((100 * kept) / concurrentRequests)} %) | ${failed} |`,
    );
  }
  return lines.join('\n');
}

function tableSpecs(): TargetSpec[] {
  return listTargets().filter(
    (s) =>
      s.group === 'ceiling' || !args.only || args.only.some((o) => s.id.includes(o) || s.label.includes(o)),
  );
}

async function runTable(
  load: LoadProcess,
  specs: TargetSpec[],
  progress: Progress,
): Promise<{ text: string; rows: Row[] }> {
  const running = await startAll(specs, progress);
  let lost = '';
  try {
    await measureAll(load, running, progress);
    lost = await lostUpdates(running, progress);
  } finally {
    for (const r of running) await r.server?.stop();
  }
  const rows = toRows(running);
  const text = `${markdownTable(rows)}\n\nLost updates: one visitor sends ${concurrentRequests} concurrent \`GET /counter\`, each adding 1 to \`count\`; how many of them the next request still sees:\n\n${lost}`;
  return { text, rows };
}

function scalingLabels(): string[] {
  const labels = [
    ...listSteps()
      .flatMap(stepVariants)
      .map((v) => v.label),
    handWrittenFileLabel,
  ];
  return labels.filter((label) => label in seeds && (!args.only || args.only.some((o) => label.includes(o))));
}

async function runScaling(
  load: LoadProcess,
  labels: string[],
  imagePath: string,
  progress: Progress,
): Promise<ScalePoint[]> {
  if (labels.length === 0) return [];
  const report = (line: string, plannedSeconds: number): void =>
    console.error(progress.step(plannedSeconds, line));
  const points = await measureScaling(load, labels, scalingSeconds, rounds, placement, report);
  writeFileSync(
    imagePath,
    linePlot({
      title: 'One returning visitor: time per request against stored sessions',
      xLabel: 'stored sessions',
      yLabel: 'ms per request',
      series: toSeries(points),
    }),
  );
  return points;
}

/** The run's plan in seconds of load, each server start and each seeding counted as time too. */
function plannedSeconds(specs: TargetSpec[], labels: string[]): number {
  const perTarget = startSeconds + workloads.length * (1 + rounds * secondsPerRound) + lostUpdateSeconds;
  const table = args['no-table'] ? 0 : specs.length * perTarget;
  const scaling = args['no-scaling']
    ? 0
    : labels.length *
      rounds *
      sessionCounts.reduce((sum, n) => sum + scalingPointSeconds(n, scalingSeconds), 0);
  return table + scaling;
}

async function main(): Promise<void> {
  const full =
    !args.quick &&
    !args.only &&
    args.seconds === undefined &&
    args.rounds === undefined &&
    !args['no-table'] &&
    !args['no-scaling'];
  if (args['update-lesson'] && !full)
    throw new Error(
      '--update-lesson takes a full run: no --quick, --only, --seconds, --rounds, --no-table or --no-scaling',
    );
  const local = args['update-lesson'] ? '' : '.local';
  const out = args.out ?? join(root, 'lessons', `06-results${local}.md`);
  const imagePath = join(root, 'lessons', 'images', `06-scaling${local}.svg`);
  const specs = tableSpecs();
  const labels = scalingLabels();
  const progress = new Progress(plannedSeconds(specs, labels));
  console.error(
    `${args['no-table'] ? 0 : specs.length} targets, ${args['no-scaling'] ? 0 : labels.length} stores to scale: about ${progress.estimate()} on this machine`,
  );
  if (args.quick) console.error(quickWarning);
  const load = new LoadProcess(placement);
  let table: { text: string; rows: Row[] } = { text: '', rows: [] };
  let points: ScalePoint[] = [];
  try {
    if (!args['no-table']) table = await runTable(load, specs, progress);
    if (!args['no-scaling']) points = await runScaling(load, labels, imagePath, progress);
  } finally {
    load.stop();
  }
  const info: RunInfo = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    loadGenerator: autocannonVersion(),
    connections,
    secondsPerRound,
    rounds,
    pinning:
      placement.serverCpu === undefined
        ? 'server and load generator in separate processes, not pinned'
        : 'server pinned to CPU 0, load generator to CPU 1 (taskset)',
    disk: describeDisk(tmpdir()),
  };
  const scaling = points.length
    ? `Scaling (one connection, requests back to back; plot: ${relative(root, imagePath)}):\n\n${scalingTable(points)}`
    : '';
  const goalsText = `Goals: each a ratio of two rows above (returning visitor, req/s), so the machine's speed cancels out:\n\n${goalsTable(goals(table.rows, points))}`;
  const block = [describeRun(info), args.quick ? `**${quickWarning}**` : '', table.text, scaling, goalsText]
    .filter(Boolean)
    .join('\n\n');
  console.log(block);
  writeFileSync(
    out,
    `# Measured: what each session design costs\n\nWritten by \`npm run bench\`; do not edit by hand.\n\n${block}\n`,
  );
  console.error(`saved to ${out}`);
}

await main();
