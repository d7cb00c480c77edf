import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * The lines a benchmark's SMTP server process (`server.ts`) writes on stdout, and the port its
 * first line announces (`{"port": ...}`); fails when the process ends without one.
 */
export async function serverLines(
  child: ChildProcess,
  name: string,
): Promise<{ port: number; lines: AsyncIterator<string> }> {
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> })[
    Symbol.asyncIterator
  ]();
  const first = await lines.next();
  if (first.done === true) throw new Error(`${name} did not start`);
  const { port } = JSON.parse(first.value) as { port: number };
  return { port, lines };
}
