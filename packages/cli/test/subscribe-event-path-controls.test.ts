import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RawServer } from '../../../test/support/raw-server.js';
import { publish, startEventBroker } from './event-broker.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

let broker: RawServer;
beforeAll(async () => {
  // Its topic's %-escapes decode to an escape sequence and a line feed.
  broker = await startEventBroker('files', [
    publish('files/events/notes/a%1b%5d0;owned%07%1b%5b2J%0afake.txt', 'body'),
  ]);
});
afterAll(() => broker.close());

describe('parley subscribe', () => {
  it("shows control characters of an event's path as text: no escape sequence, no forged line", async () => {
    const child = spawn(process.execPath, [
      ...PARLEY,
      'subscribe',
      `mqtt://127.0.0.1:${broker.port}/files`,
      '/*',
    ]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stdout).toContain('\tbody\n'), { timeout: 120_000, interval: 100 });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toBe('/notes/a\\x1b]0;owned\\x07\\x1b[2J\\x0afake.txt\tbody\n');
  });
});
