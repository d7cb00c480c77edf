import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReadme } from '../scripts/readme-tables.js';
import { runSnippet } from './support/run-snippet.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

/** The first TypeScript block after a heading. */
function codeAfter(heading: string): string {
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match?.[1] === undefined) throw new Error(`No TypeScript block after ${heading}`);
  return match[1];
}

describe('README', () => {
  it('has its generated tables up to date (pnpm readme:tables)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('quick start runs as written and prints what it says', async () => {
    const file = fileURLToPath(new URL('./quick-start.generated.ts', import.meta.url));
    const lines = await runSnippet(codeAfter('## Quick start'), file);
    expect(lines).toContain('ok hi');
    expect(
      lines.filter((line) => / http (PUT|GET) \/notes\/hello\.txt (created|ok) /.test(line)),
    ).toHaveLength(2);
  });
});
