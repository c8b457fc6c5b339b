import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { markdownTable, median, type Figures } from '../../src/bench/report.ts';
import { describeDisk, ext4HasJournal } from '../../src/bench/disk.ts';
import { linePlot } from '../../src/bench/svg-plot.ts';

const root = join(import.meta.dirname, '..', '..');
const figures = (requestsPerSecond: number, p50Ms: number): Figures => ({
  requestsPerSecond,
  p50Ms,
  p99Ms: p50Ms * 4,
  cpuMicrosPerRequest: 1e6 / requestsPerSecond,
  non2xx: 0,
  errors: 0,
});

test('the median of the rounds is the middle value, or the mean of the two middle ones', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('the table shows every figure with its ratio to the first row, and says why a row was skipped', () => {
  const table = markdownTable([
    { label: 'raw', returning: figures(40_000, 0.2), fresh: figures(40_000, 0.2) },
    { label: 'step', returning: figures(10_000, 0.8), fresh: figures(20_000, 0.4) },
    { label: 'redis row', skipped: 'redis not reachable (start redis-server)' },
  ]);
  const [, , raw, step, skipped] = table.split('\n');
  assert.match(raw!, /^\| raw \| 40 000 \(1\.0×\) \| 0\.20 \(1\.0×\)/);
  assert.match(
    step!,
    /^\| step \| 10 000 \(0\.25×\) \| 0\.80 \(4\.0×\) \| 3\.20 \(4\.0×\) \| 100 \(4\.0×\) \| 20 000 \(0\.50×\)/,
  );
  assert.match(skipped!, /skipped: redis not reachable/);
});

test('the scaling plot is an SVG with one line and one legend entry per store, on log axes', () => {
  const svg = linePlot({
    title: 't',
    xLabel: 'stored sessions',
    yLabel: 'ms',
    series: [
      {
        label: 'one file',
        points: [
          [10, 0.5],
          [100_000, 400],
        ],
      },
      {
        label: 'one file per session',
        points: [
          [10, 0.4],
          [100_000, 0.45],
        ],
      },
    ],
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline /g)?.length, 2);
  assert.ok(svg.includes('>one file per session</text>'));
  assert.ok(svg.includes('>100 000</text>'), 'the x axis has a tick per decade up to 100 000');
});

test(
  'npm run bench runs end to end and leaves git clean: a row per target, the lost-update table, the run described, in an ignored file',
  { timeout: 120_000 },
  async () => {
    const status = (): string =>
      execFileSync('git', ['status', '--porcelain', '--', 'lessons'], { cwd: root, encoding: 'utf8' });
    const before = status();
    const args = [
      '--import',
      'tsx',
      'src/bench/run.ts',
      '--only',
      '01-raw',
      '--seconds',
      '1',
      '--rounds',
      '1',
      '--no-scaling',
    ];
    await promisify(execFile)(process.execPath, args, { cwd: root });
    const text = await readFile(join(root, 'lessons', '06-results.local.md'), 'utf8');
    assert.match(text, /\| raw node:http hello world \| [\d ]+ \(1\.0×\)/);
    assert.match(text, /\| 01-raw-http \| [\d ]+ \(\d/);
    assert.match(text, /\| 01-raw-http \| \d+ \(\d+ %\) \| 0 \|/, 'the lost-update row of step 01');
    assert.match(text, /- machine: \d+ CPUs/);
    assert.match(text, /- load: autocannon \d/);
    assert.equal(
      status(),
      before,
      'the run changed no tracked file under lessons/ and added none git would show',
    );
  },
);

test('the run header says whether ext4 keeps a journal for the device the file stores are on', () => {
  assert.equal(ext4HasJournal('/dev/vda', ['loop0-8']), false);
  assert.equal(ext4HasJournal('/dev/loop0', ['loop0-8']), true);
  assert.equal(ext4HasJournal('/dev/sda1', ['sda1-8', 'sda2-8']), true);
  assert.equal(ext4HasJournal('/dev/sda', ['sda1-8']), false);
  assert.match(describeDisk(tmpdir()), new RegExp(`^${tmpdir()}`));
});
