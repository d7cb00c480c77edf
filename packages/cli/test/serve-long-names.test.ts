import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, ParleyError } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-long-names-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });
/** One name over the 255 bytes a Linux file system takes. */
const LONG = `/${'a'.repeat(300)}`;

async function statusOf(
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
): Promise<{ status: string; message: string }> {
  try {
    const reply = await serve(createRequest({ method, path, body: method === 'PUT' ? 'x' : undefined }));
    return { status: reply.status, message: await reply.body.text() };
  } catch (error) {
    const failure = ParleyError.from(error);
    return { status: failure.status, message: failure.message };
  }
}

describe('parley serve with a name longer than the file system takes', () => {
  it.each(['GET', 'PUT', 'DELETE'] as const)(
    'answers %s with bad_request that says so, not an internal error',
    async (method) => {
      const { status, message } = await statusOf(method, LONG);
      expect(status).toBe('bad_request');
      expect(message).toMatch(/too long/);
      expect(readdirSync(root)).toEqual([]);
    },
  );
});
