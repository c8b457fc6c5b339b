/** One line of a plot: its label and its (x, y) points. */
export interface Series {
  readonly label: string;
  readonly points: ReadonlyArray<readonly [x: number, y: number]>;
}

/** What to draw: both axes are logarithmic, since sessions and costs span orders of magnitude. */
export interface Plot {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const width = 720;
const height = 420;
const margin = { left: 80, right: 230, top: 40, bottom: 60 };
const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const decades = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
};
const tickLabel = (v: number): string => (v >= 1 ? v.toLocaleString('en-US').replace(/,/g, ' ') : String(v));

function scale(lo: number, hi: number, from: number, to: number): (v: number) => number {
  const [a, b] = [Math.log10(lo), Math.log10(hi)];
  return (v) => from + ((Math.log10(v) - a) / (b - a || 1)) * (to - from);
}

function axes(
  xTicks: number[],
  yTicks: number[],
  x: (v: number) => number,
  y: (v: number) => number,
): string[] {
  const [left, right, top, bottom] = [margin.left, width - margin.right, margin.top, height - margin.bottom];
  const out = [
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`,
  ];
  for (const t of xTicks) {
    out.push(`<line x1="${x(t)}" y1="${top}" x2="${x(t)}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(`<text x="${x(t)}" y="${bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${left}" y1="${y(t)}" x2="${right}" y2="${y(t)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 8}" y="${y(t) + 4}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  return out;
}

/** An SVG line plot with log-log axes and a legend on the right, as plain text. */
export function linePlot(plot: Plot): string {
  const xs = plot.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = plot.series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  const xTicks = decades(Math.min(...xs), Math.max(...xs));
  const yTicks = decades(Math.min(...ys), Math.max(...ys));
  const x = scale(xTicks[0]!, xTicks.at(-1)!, margin.left, width - margin.right);
  const y = scale(yTicks[0]!, yTicks.at(-1)!, height - margin.bottom, margin.top);
  const body = axes(xTicks, yTicks, x, y);
  // The plot keeps its size; the canvas grows to the right until the longest legend label fits.
  const canvas = Math.max(
    width,
    width - margin.right + 56 + Math.ceil(6.6 * Math.max(...plot.series.map((s) => s.label.length))),
  );
  plot.series.forEach((s, i) => {
    const color = colors[i % colors.length]!;
    const points = s.points
      .filter((p) => p[1] > 0)
      .map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    body.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of points)
      body.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${color}"/>`);
    const ly = margin.top + 10 + i * 22;
    body.push(
      `<line x1="${width - margin.right + 15}" y1="${ly}" x2="${width - margin.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    body.push(`<text x="${width - margin.right + 46}" y="${ly + 4}">${escape(s.label)}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${height}" viewBox="0 0 ${canvas} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${canvas}" height="${height}" fill="#fff"/>`,
    `<text x="${(margin.left + width - margin.right) / 2}" y="22" text-anchor="middle" font-size="15">${escape(plot.title)}</text>`,
    ...body,
    `<text x="${(margin.left + width - margin.right) / 2}" y="${height - 18}" text-anchor="middle">${escape(plot.xLabel)}</text>`,
    `<text transform="translate(20 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(plot.yLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
