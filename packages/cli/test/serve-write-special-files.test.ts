import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-write-special-'));
/** Whether this system lets us make a character device (root only): 1,3 is what /dev/null is. */
let devices = true;

beforeAll(() => {
  execFileSync('mkfifo', [join(root, 'fifo')]);
  try {
    execFileSync('mknod', [join(root, 'null'), 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    devices = false;
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

describe('parley serve --write with special files in its folder', () => {
  for (const method of ['POST', 'PUT'] as const) {
    it(`refuses a ${method} to a FIFO with conflict, and leaves it a FIFO`, async () => {
      const reply = await serve(createRequest({ method, path: '/fifo', query: '', body: 'new\n' }));
      expect(reply.status).toBe('conflict');
      expect(await reply.body.text()).toBe('/fifo is no regular file');
      expect(lstatSync(join(root, 'fifo')).isFIFO()).toBe(true);
    });

    it(`refuses a ${method} to a character device with conflict, and leaves it a device`, async (context) => {
      if (!devices) context.skip();
      const reply = await serve(createRequest({ method, path: '/null', query: '', body: 'new\n' }));
      expect(reply.status).toBe('conflict');
      expect(lstatSync(join(root, 'null')).isCharacterDevice()).toBe(true);
    });
  }
});
