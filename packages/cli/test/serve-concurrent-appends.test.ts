import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-appends-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

/** A body that arrives in two parts, a turn apart, as a network body does. */
async function* slowly(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text.slice(0, 3));
  await new Promise((resolve) => setImmediate(resolve));
  yield Buffer.from(text.slice(3));
}

describe('parley serve with appends to one file at once', () => {
  it('creates a missing file once: the later of two appends to it adds to the earlier', async () => {
    const replies = await Promise.all([
      serve(createRequest({ method: 'POST', path: '/new.txt', body: slowly('first\n') })),
      serve(createRequest({ method: 'POST', path: '/new.txt', body: slowly('second\n') })),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual(['created', 'ok']);
    // Both are kept whole, one after the other, in whichever order they took the file.
    expect(['first\nsecond\n', 'second\nfirst\n']).toContain(readFileSync(join(root, 'new.txt'), 'utf8'));
  });

  it('keeps every acknowledged append (POST from many clients, or FTP APPE)', async () => {
    writeFileSync(join(root, 'log.txt'), 'start\n');
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`);
    const replies = await Promise.all(
      lines.map((line) => serve(createRequest({ method: 'POST', path: '/log.txt', body: slowly(line) }))),
    );
    expect(replies.map((reply) => reply.status)).toEqual(lines.map(() => 'ok'));
    const content = readFileSync(join(root, 'log.txt'), 'utf8');
    expect(content.startsWith('start\n')).toBe(true);
    expect(content.split('\n').slice(1, -1).sort()).toEqual(lines.map((line) => line.trim()).sort());
  });

  it('never lets an append that started from the old content undo a replacement', async () => {
    writeFileSync(join(root, 'mixed.txt'), 'old\n');
    const replies = await Promise.all([
      serve(createRequest({ method: 'POST', path: '/mixed.txt', body: slowly('one\n') })),
      serve(createRequest({ method: 'PUT', path: '/mixed.txt', body: slowly('new\n') })),
      serve(createRequest({ method: 'POST', path: '/mixed.txt', body: slowly('two\n') })),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual(['ok', 'ok', 'ok']);
    const content = readFileSync(join(root, 'mixed.txt'), 'utf8');
    // The PUT replaced the file at its turn: what came before it is gone, never what it wrote.
    expect(content.startsWith('new\n')).toBe(true);
    expect(content).not.toContain('old\n');
  });
});
