import { rmSync, writeFileSync } from 'node:fs';
import { vi } from 'vitest';

/**
 * Runs TypeScript code from the docs as a module (written to `file`, removed afterwards) and
 * returns the lines it printed with `console.log`.
 */
export async function runSnippet(code: string, file: string): Promise<string[]> {
  writeFileSync(file, code);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    await import(file);
  } finally {
    log.mockRestore();
    rmSync(file, { force: true });
  }
  return lines;
}
