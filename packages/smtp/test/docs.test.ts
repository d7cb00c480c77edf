import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/ports.js';
import { runSnippet } from '../../../test/support/run-snippet.js';

const page = readFileSync(fileURLToPath(new URL('../../../docs/smtp.md', import.meta.url)), 'utf8');
const snippets = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);

/** Runs a snippet as written (on a free port instead of 2525) and returns what it logged. */
async function runDocSnippet(code: string, index: number): Promise<string[]> {
  const port = await freePort();
  const file = fileURLToPath(new URL(`./docs-snippet-${index}.generated.ts`, import.meta.url));
  return runSnippet(code.replaceAll('2525', String(port)), file);
}

describe('docs/smtp.md', () => {
  it('has TypeScript snippets', () => {
    expect(snippets.length).toBeGreaterThan(0);
  });

  it('runs its first snippet as written and prints what its comments say', async () => {
    const lines = await runDocSnippet(snippets[0] as string, 0);
    expect(lines[0]).toBe('/notes/hello.txt Hello hi');
    expect(lines[1]).toMatch(/^ok <[^>]+@localhost> 250 2\.0\.0 OK <[^>]+@localhost>$/);
  });

  it.each(snippets.slice(1).map((code, index) => [index + 1, code] as const))(
    'runs snippet %i as written',
    async (index, code) => {
      await runDocSnippet(code, index);
    },
  );
});
