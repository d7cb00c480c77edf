import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/run.js';
import { servedFolder } from './support.js';

const served = servedFolder('parley-max-time-', [], (dir) => {
  // Larger than every buffer between the server and a reader that does not read.
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(64 * 1024 * 1024, 7));
});

describe('--max-time bounds the whole transfer, the body included (as curl -m)', () => {
  for (const protocol of ['http', 'ftp', 'ws']) {
    it(`ends a ${protocol} download stalled mid-body with exit 28`, async () => {
      // stdout is never read: the body stops flowing once its buffers are full. Three seconds
      // leave a loaded machine time to log in and start the body before the limit strikes.
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let text = '';
      stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      const url = `${served.serving.urls[protocol]?.replace(/\/$/, '')}/big.bin`;
      const started = Date.now();
      const code = await runCli(['--max-time', '3', url], { stdout, stderr });
      expect(code).toBe(28);
      expect(text).toMatch(/Timed out after 3000 ms/);
      // Some of the body came before the stall: the limit struck mid-body, not before it.
      expect(stdout.readableLength).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(30_000);
    }, 60_000);
  }
});
