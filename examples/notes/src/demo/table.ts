import type { Outcome } from './exercise.js';

/** The outcomes of each protocol, in the order of the table's columns. */
export type Results = ReadonlyMap<string, readonly Outcome[]>;

/** How a cell reads: the status, `- (not carried)` for a refusal, a `!` when not as expected. */
export function cellText(outcome: Outcome | undefined): string {
  if (outcome === undefined) return '?';
  const text = outcome.status === 'unsupported' ? '- (not carried)' : outcome.status;
  return outcome.expected ? text : `! ${text}`;
}

/** A plain-text table: one row per operation, one column per protocol. */
export function formatTable(results: Results): string {
  const protocols = [...results.keys()];
  const operations = [
    ...new Set([...results.values()].flatMap((outcomes) => outcomes.map((o) => o.operation))),
  ];
  const rows = operations.map((operation) => [
    operation,
    ...protocols.map((protocol) => cellText(results.get(protocol)?.find((o) => o.operation === operation))),
  ]);
  const header = ['operation', ...protocols];
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The problems found, one line each (empty when every cell is as expected). */
export function problems(results: Results): string[] {
  return [...results].flatMap(([protocol, outcomes]) =>
    outcomes
      .filter((o) => !o.expected)
      .map((o) => `${protocol}: ${o.operation}: ${o.status} (${o.problem ?? 'unexpected'})`),
  );
}
