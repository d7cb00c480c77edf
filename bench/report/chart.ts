import { type BenchResult, meetsTarget } from '../lib/results.js';

/** A result with the benchmark it came from. */
export interface GroupedResult extends BenchResult {
  /** The benchmark, e.g. `http` for `bench:http`. */
  readonly group: string;
}

const WIDTH = 960;
const BAR_LEFT = 16;
const BAR_WIDTH = 560;
/** Each row: its label on one line, the bar under it with the figure to its right. */
const ROW = 42;
const BAR = 16;
const BAR_TOP = 18;
/** The widest ratio drawn; longer bars are cut there (the label still gives the figure). */
const MAX_RATIO = 2.5;
const COLOURS = { met: '#1b7f3b', missed: '#c0392b', none: '#7f8c8d', target: '#111' } as const;

const xml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fixed = (value: number): string =>
  Number.isInteger(value) ? String(value) : Number.isFinite(value) ? value.toFixed(2) : 'n/a';

/**
 * A figure in two decimals, or three where two would round a missed target onto it (0.997
 * against a target of 1 reads `0.997`, not `1.00`).
 */
function figure(result: BenchResult): string {
  const text = fixed(result.ratio);
  if (result.target === null || meetsTarget(result) || Number(text) !== result.target) return text;
  return result.ratio.toFixed(3);
}

/** The text of a figure with its target, e.g. `0.93x (target >= 0.90x) met`. */
export function figureText(result: BenchResult): string {
  const value = `${figure(result)}${result.unit === 'x' ? 'x' : ` ${result.unit}`}`;
  if (result.target === null) return value;
  const bound = `${result.higherIsBetter ? '>=' : '<='} ${result.target}${result.unit === 'x' ? 'x' : ` ${result.unit}`}`;
  return `${value} (target ${bound})`;
}

function colour(result: BenchResult): string {
  const met = meetsTarget(result);
  return met === undefined ? COLOURS.none : met ? COLOURS.met : COLOURS.missed;
}

function mark(result: BenchResult): string {
  const met = meetsTarget(result);
  return met === undefined ? '' : met ? ' ✓' : ' ✗';
}

/** One row: label, bar from 0 to `length` px, target line at `targetAt` px, figure text. */
function row(result: GroupedResult, y: number, length: number, targetAt: number | undefined): string {
  const lower = result.target !== null && !result.higherIsBetter ? ' (lower is better)' : '';
  const label = `${result.group}: ${result.measure}${result.peer === '' ? '' : `, Parley / ${result.peer}`}${lower}`;
  const bar = y + BAR_TOP;
  const parts = [
    `<text x="${BAR_LEFT}" y="${y + 13}">${xml(label)}</text>`,
    `<rect x="${BAR_LEFT}" y="${bar}" width="${Math.max(1, length).toFixed(1)}" height="${BAR}" fill="${colour(result)}"/>`,
    `<text x="${BAR_LEFT + BAR_WIDTH + 10}" y="${bar + BAR - 3}" font-weight="bold">${xml(figureText(result) + mark(result))}</text>`,
  ];
  if (targetAt !== undefined) {
    const x = (BAR_LEFT + targetAt).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${bar - 4}" y2="${bar + BAR + 4}" stroke="${COLOURS.target}" stroke-width="3"/>`,
    );
  }
  return parts.join('\n');
}

/** Vertical grid lines with their ratio under the axis, for the ratio panel. */
function ratioAxis(top: number, bottom: number): string {
  const lines: string[] = [];
  for (let tick = 0; tick <= MAX_RATIO + 1e-9; tick += 0.5) {
    const x = (BAR_LEFT + (tick / MAX_RATIO) * BAR_WIDTH).toFixed(1);
    const stroke = tick === 1 ? '#999' : '#ddd';
    lines.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}" stroke="${stroke}"/>`);
    lines.push(
      `<text x="${x}" y="${bottom + 14}" text-anchor="middle" fill="#555">${tick.toFixed(1)}x</text>`,
    );
  }
  return lines.join('\n');
}

/**
 * An SVG bar chart of the results, with no dependency: a panel of ratios (Parley/peer on one
 * axis, 1x marked) and a panel of limits (each bar drawn against its own target, at mid-width).
 * Every bar shows its target as a black line and is green when met, red when missed, grey
 * without a target; the figure and a ✓ or ✗ stand beside it.
 */
export function renderChart(results: readonly GroupedResult[], title: string): string {
  const ratios = results.filter((result) => result.unit === 'x');
  const limits = results.filter((result) => result.unit !== 'x');
  const body: string[] = [];
  let y = 50;
  const heading = (text: string): void => {
    body.push(`<text x="10" y="${y}" font-weight="bold">${xml(text)}</text>`);
    y += 16;
  };
  if (ratios.length > 0) {
    heading('Ratios: Parley / peer, measured in the same run (bar: the figure; black line: the target)');
    const top = y;
    const rows = ratios.map((result, index) => {
      const scale = (value: number): number =>
        (Math.min(Math.max(value, 0), MAX_RATIO) / MAX_RATIO) * BAR_WIDTH;
      const ratio = Number.isFinite(result.ratio) ? result.ratio : 0;
      const targetAt = result.target === null ? undefined : scale(result.target);
      return row(result, top + index * ROW, scale(ratio), targetAt);
    });
    y = top + ratios.length * ROW + 4;
    body.push(ratioAxis(top, y), ...rows);
    y += 40;
  }
  if (limits.length > 0) {
    heading('Limits: absolute figures (each bar against its own target, drawn at mid-width)');
    limits.forEach((result, index) => {
      const bound = result.target ?? result.ratio;
      const share = bound > 0 && Number.isFinite(result.ratio) ? result.ratio / (2 * bound) : 0;
      const length = Math.min(1, Math.max(0, share)) * BAR_WIDTH;
      body.push(row(result, y + index * ROW, length, result.target === null ? undefined : BAR_WIDTH / 2));
    });
    y += limits.length * ROW + 10;
  }
  const legend = [
    [COLOURS.met, 'target met'],
    [COLOURS.missed, 'target missed'],
    [COLOURS.none, 'no target (reported only)'],
  ]
    .map(
      ([fill, text], index) =>
        `<rect x="${10 + index * 200}" y="${y}" width="14" height="14" fill="${fill}"/><text x="${30 + index * 200}" y="${y + 12}">${text}</text>`,
    )
    .join('\n');
  const height = y + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13" role="img">`,
    `<title>${xml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${xml(title)}</text>`,
    ...body,
    legend,
    '</svg>',
    '',
  ].join('\n');
}
