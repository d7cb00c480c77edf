import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serviceWithClients } from './helpers.js';

const MiB = 1024 * 1024;

/** A body of `size` bytes, every byte `fill`, so that a mix of two bodies shows. */
function bodyOf(size: number, fill: number): Buffer {
  return Buffer.alloc(size, fill);
}

describe('the notes service with writers racing over its protocols', () => {
  const notes = serviceWithClients({}, { timeoutMs: 60_000 });

  const client = (protocol: string): Client => notes.clients[protocol] as Client;

  it('keeps exactly one of five bodies of 1 to 8 MiB sent at once to one note, whole; readers see one whole', async () => {
    const bodies = {
      http: bodyOf(8 * MiB, 0x61),
      ws: bodyOf(5 * MiB, 0x62),
      ftp: bodyOf(3 * MiB, 0x63),
      mqtt: bodyOf(1 * MiB, 0x64),
    };
    await client('http').put('/notes/contested.bin', 'before');
    // Over SMTP a mail to a note appends to it: it comes after whichever body is there.
    const mail = /^\s*a mail appended\s*$/;
    const wholeOrNot = (content: Buffer): string | undefined => {
      const first = ['before', ...Object.values(bodies)]
        .map((body) => Buffer.from(body))
        .find((body) => content.subarray(0, body.length).equals(body));
      const rest = content.subarray(first?.length ?? 0).toString();
      return first !== undefined && (rest === '' || mail.test(rest))
        ? undefined
        : content.toString('latin1', 0, 40);
    };
    let writing = true;
    const torn: string[] = [];
    const reader = (async () => {
      while (writing) {
        const content = Buffer.from(await (await client('http').get('/notes/contested.bin')).body.bytes());
        const wrong = wholeOrNot(content);
        if (wrong !== undefined) torn.push(wrong);
      }
    })();
    const replies = await Promise.all([
      ...(['http', 'ws', 'ftp', 'mqtt'] as const).map((protocol) =>
        client(protocol).put('/notes/contested.bin', bodies[protocol]),
      ),
      client('smtp').post('/notes/contested.bin', 'a mail appended'),
    ]);
    writing = false;
    await reader;
    expect(replies.map((reply) => reply.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const stored = await readFile(join(notes.service.dataDir, 'contested.bin'));
    expect(wholeOrNot(stored), 'the note holds one body whole, then at most the mail').toBeUndefined();
    expect(stored.toString('latin1', 0, 6)).not.toBe('before');
    expect(torn, 'every read during the writes saw one body whole').toEqual([]);
  }, 120_000);

  it('keeps every one of 100 writers to 100 notes, and every one of 20 mails to one note whole', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `many-${i}.txt`);
    const protocols = ['http', 'ws', 'ftp', 'mqtt'];
    const replies = await Promise.all(
      names.map((name, i) =>
        client(protocols[i % 4] as string).put(`/notes/${name}`, `note ${i} `.repeat(100)),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(names.map(() => 'created'));
    const mails = Array.from({ length: 20 }, (_, i) => `mail ${i} ${'x'.repeat(1000)}`);
    const mailed = await Promise.all(mails.map((text) => client('smtp').post('/notes/mailed.txt', text)));
    // SMTP acknowledges each mail with a plain 250: ok.
    expect(mailed.map((reply) => reply.status)).toEqual(mails.map(() => 'ok'));
    for (const [i, name] of names.entries()) {
      expect(await readFile(join(notes.service.dataDir, name), 'utf8')).toBe(`note ${i} `.repeat(100));
    }
    const lines = (await readFile(join(notes.service.dataDir, 'mailed.txt'), 'utf8'))
      .split(/\r?\n/)
      .filter(Boolean);
    expect(lines.sort()).toEqual([...mails].sort());
    const files = await readdir(notes.service.dataDir);
    expect(files.filter((file) => file.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('orders a write and a delete racing on one note: the note is there whole or gone, as the replies say', async () => {
    for (let round = 0; round < 10; round++) {
      await client('http').put('/notes/raced.txt', 'old');
      const body = bodyOf(256 * 1024, 0x70 + round);
      const [written, deleted] = await Promise.all([
        client('ftp').put('/notes/raced.txt', body),
        client('ws').delete('/notes/raced.txt'),
      ]);
      expect(deleted.status).toBe('no_content');
      const stored = await readFile(join(notes.service.dataDir, 'raced.txt')).catch(() => undefined);
      // The lock runs them one after the other: a write after the delete made a new note, a
      // write before it was deleted with the note.
      if (written.status === 'created') expect(stored?.equals(body)).toBe(true);
      else expect([written.status, stored]).toEqual(['ok', undefined]);
    }
  }, 120_000);

  it('renames a note racing a write to it: the new content is under one name, whole, and nothing is lost', async () => {
    for (let round = 0; round < 10; round++) {
      await client('http').delete('/notes/moved.txt');
      await client('http').put('/notes/moving.txt', 'old');
      const body = bodyOf(256 * 1024, 0x41 + round);
      const [written, moved] = await Promise.all([
        client('mqtt').put('/notes/moving.txt', body),
        client('http').move('/notes/moving.txt', '/notes/moved.txt'),
      ]);
      expect(written.status).toMatch(/^(ok|created)$/);
      expect(moved.status).toBe('ok');
      const source = await readFile(join(notes.service.dataDir, 'moving.txt')).catch(() => undefined);
      const target = await readFile(join(notes.service.dataDir, 'moved.txt'));
      if (written.status === 'created') {
        // The move went first: the old note moved, the write made a new one.
        expect(target.toString()).toBe('old');
        expect(source?.equals(body)).toBe(true);
      } else {
        expect(target.equals(body)).toBe(true);
        expect(source).toBeUndefined();
      }
    }
  }, 120_000);

  it('keeps an FTP append racing an FTP upload whole, after it or replaced by it', async () => {
    for (let round = 0; round < 10; round++) {
      await client('http').put('/notes/appe.txt', 'start|');
      const stored = bodyOf(128 * 1024, 0x30 + round);
      await Promise.all([
        client('ftp').put('/notes/appe.txt', stored),
        client('ftp').post('/notes/appe.txt', '|appended'),
      ]);
      const content = await readFile(join(notes.service.dataDir, 'appe.txt'), 'latin1');
      const expected = [`${stored.toString('latin1')}|appended`, stored.toString('latin1')];
      expect(expected, content.slice(0, 20)).toContain(content);
    }
  }, 120_000);
});
