import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseCommand, runCli } from '@parley/cli';
import { createRouter, createServer, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, describe, expect, it } from 'vitest';

describe('parley -T to a mail URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-smtp-upload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a POST over smtp, smtps and lmtp, as curl -T sends a mail; a PUT elsewhere', () => {
    for (const url of [
      'smtp://127.0.0.1:2525/notes',
      'smtps://127.0.0.1:465/notes',
      'lmtp://127.0.0.1:24/notes',
    ]) {
      expect(parseCommand(['-T', 'mail.txt', url])).toMatchObject({ kind: 'request', method: 'POST' });
    }
    expect(parseCommand(['-T', 'a.txt', 'http://127.0.0.1:8080/notes/a.txt'])).toMatchObject({
      method: 'PUT',
    });
    expect(parseCommand(['-X', 'PUT', '-T', 'a.txt', 'smtp://127.0.0.1:2525/notes'])).toMatchObject({
      method: 'PUT',
    });
  });

  it('delivers the file as the mail', async () => {
    const received: string[] = [];
    const server = createServer(
      createRouter().post('/notes', async (request) => {
        received.push(await request.body.text({ limit: 1024 }));
        return respond('ok');
      }),
    );
    const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }));
    try {
      const file = join(dir, 'mail.txt');
      writeFileSync(file, 'a mail from a file\n');
      const stderr = new PassThrough().resume();
      const code = await runCli(['-s', '-T', file, `${listener.url}/notes`], {
        stdout: new PassThrough().resume(),
        stderr,
        stdin: new PassThrough().end(),
      });
      expect(code).toBe(0);
      expect(received.map((text) => text.trim())).toEqual(['a mail from a file']);
    } finally {
      await server.close();
    }
  });
});
