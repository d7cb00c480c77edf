import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, createServer, LEFT_OUT_FIELD, leftOutOf, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-unservable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Names no request path can carry: core refuses them, so a listing must not offer them. */
const HOSTILE = ['red\x1b[31mtext', 'photo\u202Egpj.exe', 'tab\tname', 'two\r\nlines', 'zero\u200Bwidth'];

beforeAll(() => {
  writeFileSync(join(root, 'plain.txt'), 'plain\n');
  // A name that is real UTF-8 for U+FFFD, and one in Latin-1 that Node also reads as U+FFFD.
  writeFileSync(join(root, 'caf\uFFFD.txt'), 'replacement character\n');
  writeFileSync(Buffer.from(`${root}/caf\xe9.txt`, 'latin1'), 'latin-1\n');
  for (const name of HOSTILE) writeFileSync(join(root, name), 'hostile\n');
});

const serve = folderService(root);

function list(accept: string) {
  return serve(createRequest({ method: 'LIST', path: '/', query: '', headers: { accept } }));
}

describe('parley serve lists only the names a request can ask for again', () => {
  it('leaves out names with control, bidirectional or invisible characters, and names not in UTF-8', async () => {
    const entries = await readListing(await list('application/json'));
    expect(entries.map((entry) => entry.name)).toEqual(['caf\uFFFD.txt', 'plain.txt']);
  });

  it('every name it lists answers a GET with that file', async () => {
    const entries = await readListing(await list('application/json'));
    for (const entry of entries) {
      const reply = await serve(createRequest({ method: 'GET', path: `/${entry.name}`, query: '' }));
      expect(reply.status).toBe('ok');
      expect(reply.headers.get('content-length')).toBe(String(entry.size));
      expect((await reply.body.bytes()).length).toBe(entry.size);
    }
  });

  it('says on the HTML index how many entries it left out, and why', async () => {
    const html = await (await list('text/html')).body.text();
    expect(html).toContain('6 entries left out');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    expect(html).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\u202e\u200b]/);
    expect(html.match(/<li>/g)).toHaveLength(2);
  });

  it('says in the JSON listing how many entries it left out (the parley-left-out field)', async () => {
    const response = await list('application/json');
    expect(response.headers.get(LEFT_OUT_FIELD)).toBe('6');
    expect(leftOutOf(response)).toBe(6);
  });

  it("says it over FTP too, in LIST's 226 reply", async () => {
    const server = createServer(serve);
    try {
      const listener = await server.listen(ftp('ftp://127.0.0.1:0', { server: { anonymous: true } }));
      const reply = await ftpListReply(Number(new URL(listener.url).port));
      expect(reply).toMatch(/^226 .*6 entries left out/m);
    } finally {
      await server.close({ timeoutMs: 1000 });
    }
  });
});

/** Logs in anonymously, lists `/` over a passive data connection, and returns the final reply. */
async function ftpListReply(port: number): Promise<string> {
  const control = connect(port, '127.0.0.1');
  control.setEncoding('latin1');
  let pending = '';
  // The last line of each reply (code and a space), kept until asked for.
  const replies: string[] = [];
  let wake = (): void => {};
  control.on('data', (text: string) => {
    pending += text;
    for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      if (/^\d{3} /.test(line)) replies.push(line);
    }
    wake();
  });
  const next = async (): Promise<string> => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return replies.shift() as string;
  };
  const send = (command: string): Promise<string> => {
    const reply = next();
    control.write(`${command}\r\n`);
    return reply;
  };
  try {
    await next();
    await send('USER anonymous');
    await send('PASS guest');
    const epsv = await send('EPSV');
    const dataPort = Number(/\(\|\|\|(\d+)\|\)/.exec(epsv)?.[1]);
    const data = connect(dataPort, '127.0.0.1');
    data.resume();
    const ended = new Promise((resolve) => data.once('close', resolve));
    await new Promise((resolve) => data.once('connect', resolve));
    expect(await send('LIST')).toMatch(/^150 /);
    await ended;
    return await next();
  } finally {
    control.destroy();
  }
}
