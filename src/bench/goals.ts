import type { Row } from './report.ts';
import type { ScalePoint } from './scaling.ts';

/** One goal the project holds itself to: a ratio of two rows of one run, and the bound it must meet. */
interface Goal {
  readonly question: string;
  readonly ratio: number | undefined;
  readonly bound: string;
  readonly met: (ratio: number) => boolean;
}

const returning = (rows: readonly Row[], label: string): number | undefined =>
  rows.find((row) => row.label === label)?.returning?.requestsPerSecond;

const over = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined ? undefined : a / b;

/** How far one store's time per request moves from its fewest to its most stored sessions. */
function spread(points: readonly ScalePoint[], label: string): number | undefined {
  const times = points.filter((p) => p.label === label && !p.failed).map((p) => p.meanMs);
  return times.length < 2 ? undefined : Math.max(...times) / Math.min(...times);
}

/** Every goal, measured on this run's rows (returning visitor, req/s) and scaling points. */
export function goals(rows: readonly Row[], points: readonly ScalePoint[]): Goal[] {
  const atLeast = (bound: number) => ({ bound: `≥ ${bound}×`, met: (r: number) => r >= bound });
  const list: Goal[] = [
    {
      question: 'a signed cookie against a round trip: `02-signed-cookie` ÷ `04 redis`',
      ratio: over(returning(rows, '02-signed-cookie'), returning(rows, '04 redis')),
      ...atLeast(1),
    },
    {
      question: "Flask's cookie against the bare minimum: `02-signed-cookie` ÷ `hand-written HMAC …`",
      ratio: over(
        returning(rows, '02-signed-cookie'),
        returning(rows, 'hand-written HMAC cookie session on node:http'),
      ),
      ...atLeast(0.6),
    },
    {
      question: 'one store, two session layers: `04 redis` ÷ `express-session + connect-redis`',
      ratio: over(returning(rows, '04 redis'), returning(rows, 'express-session + connect-redis')),
      ...atLeast(6),
    },
  ];
  for (const row of rows) {
    const backend = /^05 (.+) \+ SESSION_LOCK$/.exec(row.label)?.[1];
    if (backend)
      list.push({
        question: `what the lock keeps: \`${row.label}\` ÷ \`04 ${backend}\``,
        ratio: over(row.returning?.requestsPerSecond, returning(rows, `04 ${backend}`)),
        ...atLeast(0.5),
      });
  }
  list.push({
    question: '`04 filesystem` from its fewest to its most stored sessions (scaling table)',
    ratio: spread(points, '04 filesystem'),
    bound: '≤ 1.3×',
    met: (r) => r <= 1.3,
  });
  return list;
}

/** The goals as a markdown table: the ratio this run measured, the bound, and whether it held. */
export function goalsTable(list: readonly Goal[]): string {
  const lines = ['| goal | this run | bound | held? |', '|---|---:|---:|---|'];
  for (const goal of list) {
    const measured = goal.ratio === undefined ? '–' : `${goal.ratio.toFixed(2)}×`;
    const verdict = goal.ratio === undefined ? 'not measured' : goal.met(goal.ratio) ? 'yes' : '**no**';
    lines.push(`| ${goal.question} | ${measured} | ${goal.bound} | ${verdict} |`);
  }
  return lines.join('\n');
}
