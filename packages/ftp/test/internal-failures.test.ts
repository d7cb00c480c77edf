import { Readable } from 'node:stream';
import { Body, createRouter, createServer, type ParleyError, respond, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { RawFtp } from './raw-ftp.js';

const SECRET = "ENOENT: no such file or directory, open '/srv/private/notes/a.txt'";
const open: { server: Server; ftp: RawFtp }[] = [];
afterEach(async () => {
  for (const { server, ftp: raw } of open.splice(0)) {
    raw.close();
    await server.close({ timeoutMs: 1000 });
  }
});

/** A server whose handler fails the way a disk or a bug does, with what reached its error hook. */
async function failingServer(): Promise<{ raw: RawFtp; reported: { error: ParleyError; where: string }[] }> {
  const reported: { error: ParleyError; where: string }[] = [];
  const server = createServer(
    createRouter()
      // A body that fails once the transfer is under way (the file vanished, the disk failed).
      .get('/midway.txt', async () =>
        respond(
          'ok',
          Body.from(
            Readable.from(
              (async function* () {
                yield Buffer.from('the first part');
                throw new Error(SECRET);
              })(),
            ),
          ),
        ),
      )
      .delete('/*', async () => {
        throw new Error(SECRET);
      }),
    { onError: (error, _request, where) => reported.push({ error, where: where ?? '' }) },
  );
  const listener = await server.listen(ftp('ftp://127.0.0.1:0'));
  const raw = await RawFtp.connect(Number(new URL(listener.url).port));
  open.push({ server, ftp: raw });
  await raw.login();
  return { raw, reported };
}

describe('a failure of the server or its handler', () => {
  it('ends a download whose body fails midway with 451 Internal error, and reports the failure', async () => {
    const { raw, reported } = await failingServer();
    const { bytes, reply } = await raw.download('RETR midway.txt');
    expect(bytes.toString()).toBe('the first part');
    expect(reply).toMatch(/^451 /);
    expect(reply).toMatch(/Internal error/);
    expect(reply).not.toContain('/srv/private');
    expect(reported.map(({ error }) => error.message)).toEqual([SECRET]);
    expect(reported[0]?.where).toMatch(/^ftp /);
  });

  it('answers a command whose handler throws without the error’s text, which goes to the error hook', async () => {
    const { raw, reported } = await failingServer();
    const reply = await raw.send('DELE a.txt');
    expect(reply.code).toBeGreaterThanOrEqual(400);
    expect(reply.text).toMatch(/Internal error/);
    expect(reply.text).not.toContain('/srv/private');
    expect(reported.map(({ error }) => error.message)).toEqual([SECRET]);
  });
});
