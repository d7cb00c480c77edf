import { readFileSync } from 'node:fs';
import type { GroupedResult } from './chart.js';

/** One hand-written explanation of a missed target, from `bench/report/explanations.md`. */
export interface Explanation {
  /** The benchmark it is about, e.g. `ftp`. */
  readonly group: string;
  /** The start of the measure it is about, e.g. `RETR MB/s`. */
  readonly measure: string;
  /** The start of the peer's name, or `*` for any peer. */
  readonly peer: string;
  /** The explanation, in markdown. */
  readonly text: string;
}

/** `bench/report/explanations.md`: why the targets still missed are missed, from profiles. */
export const EXPLANATIONS_FILE = new URL('./explanations.md', import.meta.url);

/**
 * Parses the explanations file: each section starts with a heading
 * `## <group> | <measure starts with> | <peer starts with, or *>` and runs to the next one.
 * Text before the first heading is the file's own preface and is ignored.
 */
export function parseExplanations(markdown: string): Explanation[] {
  const explanations: Explanation[] = [];
  for (const section of markdown.split(/^## /m).slice(1)) {
    const newline = section.indexOf('\n');
    const heading = newline === -1 ? section : section.slice(0, newline);
    const [group, measure, peer] = heading.split('|').map((part) => part.trim());
    if (!group || !measure || !peer)
      throw new Error(`Explanation heading needs "group | measure | peer": ${heading}`);
    const text = newline === -1 ? '' : section.slice(newline + 1).trim();
    explanations.push({ group, measure, peer, text });
  }
  return explanations;
}

/** Reads and parses the explanations file (none when it does not exist). */
export function readExplanations(file: URL = EXPLANATIONS_FILE): Explanation[] {
  let markdown: string;
  try {
    markdown = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseExplanations(markdown);
}

/** The explanation written for a result, if any. */
export function explanationFor(
  result: GroupedResult,
  explanations: readonly Explanation[],
): Explanation | undefined {
  return explanations.find(
    (explanation) =>
      explanation.group === result.group &&
      result.measure.startsWith(explanation.measure) &&
      (explanation.peer === '*' || result.peer.startsWith(explanation.peer)),
  );
}
