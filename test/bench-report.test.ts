import { describe, expect, it } from 'vitest';
import { describeMachine } from '../bench/lib/machine.js';
import { figureText, type GroupedResult } from '../bench/report/chart.js';
import { explanationFor, parseExplanations, readExplanations } from '../bench/report/explanations.js';
import { renderMarkdown } from '../bench/report/markdown.js';

const result = (group: string, measure: string, peer: string, ratio: number): GroupedResult => ({
  group,
  measure,
  peer,
  ratio,
  target: 1,
  higherIsBetter: true,
  unit: 'x',
  detail: '',
});

const EXPLANATIONS = `# Why

Preface, ignored.

## ftp | RETR MB/s | pyftpdlib
pyftpdlib sends with sendfile(2).

## ftp | RETR MB/s | *
Any other peer.
`;

describe('the benchmark report', () => {
  it('matches explanations by benchmark, start of measure and start of peer', () => {
    const explanations = parseExplanations(EXPLANATIONS);
    expect(explanations).toHaveLength(2);
    expect(explanationFor(result('ftp', 'RETR MB/s, 256 MiB', 'pyftpdlib', 0.5), explanations)?.text).toBe(
      'pyftpdlib sends with sendfile(2).',
    );
    expect(explanationFor(result('ftp', 'RETR MB/s, 256 MiB', 'bare pipe', 0.5), explanations)?.text).toBe(
      'Any other peer.',
    );
    expect(explanationFor(result('http', 'RETR MB/s', 'pyftpdlib', 0.5), explanations)).toBeUndefined();
    expect(() => parseExplanations('## ftp | RETR\ntext')).toThrow(/group \| measure \| peer/);
  });

  it('explains each missed target under its own heading, and only the missed ones', () => {
    const results = [
      result('ftp', 'RETR MB/s, 256 MiB', 'pyftpdlib', 0.5),
      result('ftp', 'STOR MB/s, 256 MiB', 'pyftpdlib', 0.7),
      result('smtp', 'msg/s', 'smtp-server', 1.2),
    ];
    const text = renderMarkdown({
      machine: describeMachine(),
      date: new Date(),
      runs: [],
      results,
      chart: 'benchmarks.svg',
      explanations: parseExplanations(EXPLANATIONS),
    });
    const section = text.slice(text.indexOf('## Targets missed, and why'));
    expect(section).toContain(
      '### ftp: RETR MB/s, 256 MiB against pyftpdlib: 0.50x (target >= 1x)\n\npyftpdlib sends',
    );
    expect(section).toContain(
      '### ftp: STOR MB/s, 256 MiB against pyftpdlib: 0.70x (target >= 1x)\n\n_No profile',
    );
    expect(section).not.toContain('### smtp');
  });

  it('never rounds a missed target onto the target', () => {
    expect(figureText(result('ftp', 'STOR', 'pyftpdlib', 0.9971))).toBe('0.997x (target >= 1x)');
    expect(figureText(result('ftp', 'STOR', 'pyftpdlib', 0.93))).toBe('0.93x (target >= 1x)');
    expect(figureText(result('ftp', 'STOR', 'pyftpdlib', 1.0004))).toBe('1.00x (target >= 1x)');
  });

  it("reads the project's explanations file", () => {
    for (const explanation of readExplanations()) expect(explanation.text).not.toBe('');
  });
});
