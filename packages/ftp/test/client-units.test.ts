import { ParleyError } from '@parley/core';
import { type Client as BasicClient, FileInfo, FileType, FTPError } from 'basic-ftp';
import { describe, expect, it } from 'vitest';
import { checkPath, failure, replyResponse, replyText } from '../src/client/errors.js';
import { headersFromFacts } from '../src/client/head.js';
import { parseFtpTime, parseMlstFacts, toEntries } from '../src/client/listing.js';
import { resolveClientOptions } from '../src/client/options.js';
import { ConnectionPool } from '../src/client/pool.js';

function info(name: string, type: FileType, size: number, modifiedAt?: Date): FileInfo {
  const file = new FileInfo(name);
  file.type = type;
  file.size = size;
  if (modifiedAt !== undefined) file.modifiedAt = modifiedAt;
  return file;
}

describe('listing conversion', () => {
  it('turns files and directories into entries, dropping . and ..', () => {
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const entries = toEntries([
      info('.', FileType.Directory, 0),
      info('..', FileType.Directory, 0),
      info('a.txt', FileType.File, 12, when),
      info('docs', FileType.Directory, 4096),
      info('link', FileType.SymbolicLink, 7),
      info('odd', FileType.Unknown, Number.NaN),
    ]);
    expect(entries).toEqual([
      { name: 'a.txt', type: 'file', size: 12, modified: '2024-01-02T03:04:05.000Z' },
      { name: 'docs', type: 'directory' },
      { name: 'link', type: 'file', size: 7 },
      { name: 'odd', type: 'file' },
    ]);
  });

  it('reads MLST facts and FTP times', () => {
    const facts = parseMlstFacts(
      '250-Listing /a.txt\r\n type=file;size=1234;modify=20240102030405.5; /a.txt\r\n250 End',
    );
    expect(facts.get('type')).toBe('file');
    expect(facts.get('size')).toBe('1234');
    expect(parseFtpTime(facts.get('modify') ?? '')?.toISOString()).toBe('2024-01-02T03:04:05.500Z');
    expect(parseFtpTime('yesterday')).toBeUndefined();
    expect(parseMlstFacts('250 nothing here').size).toBe(0);
  });

  it('gives HEAD headers from facts: a length for files only', () => {
    const file = headersFromFacts(
      new Map([
        ['type', 'file'],
        ['size', '5'],
        ['modify', '20240102030405'],
      ]),
    );
    expect(file.toObject()).toEqual({
      'content-length': '5',
      'last-modified': 'Tue, 02 Jan 2024 03:04:05 GMT',
    });
    expect(
      headersFromFacts(
        new Map([
          ['type', 'dir'],
          ['size', '4096'],
        ]),
      ).has('content-length'),
    ).toBe(false);
  });
});

describe('replies and failures', () => {
  it('maps negative replies to statuses with the reply text as body', async () => {
    const cases: [number, string, string][] = [
      [550, '550 No such file or directory.', 'not_found'],
      [550, '550 Forbidden: read-only', 'forbidden'],
      [530, '530 Authentication failed.', 'unauthenticated'],
      [552, '552 Too large: over 10 bytes', 'too_large'],
      [421, '421 Too many connections.', 'unavailable'],
    ];
    for (const [code, message, status] of cases) {
      const response = replyResponse(new FTPError({ code, message }));
      expect(response.status, message).toBe(status);
      expect(await response.body.text()).toBe(message.slice(4));
    }
    expect(replyText('250-first\r\n250 second')).toBe('first\nsecond');
  });

  it('turns unanswered failures into unavailable, and aborts into their reason', () => {
    const broken = failure(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      new AbortController().signal,
    );
    expect(broken.status).toBe('unavailable');
    expect(broken.retryable).toBe(true);
    const controller = new AbortController();
    controller.abort();
    expect(failure(new Error('closed'), controller.signal).status).toBe('cancelled');
    expect(failure(new Error('closed'), AbortSignal.abort(new ParleyError('timeout'))).status).toBe(
      'timeout',
    );
  });

  it('refuses paths that would break the command line', () => {
    expect(() => checkPath('/a\r\nDELE /b')).toThrow(ParleyError);
    expect(() => checkPath('/ok name.txt')).not.toThrow();
  });
});

describe('options', () => {
  it('defaults secure from the scheme and checks sizes', () => {
    expect(resolveClientOptions(new URL('ftp://h'), {}).secure).toBe(false);
    expect(resolveClientOptions(new URL('ftps://h'), {}).secure).toBe(true);
    expect(resolveClientOptions(new URL('ftps://h'), { secure: false }).secure).toBe(false);
    expect(resolveClientOptions(new URL('ftp://h'), {}).poolSize).toBe(4);
    expect(() => resolveClientOptions(new URL('ftp://h'), { poolSize: 0 })).toThrow(
      expect.objectContaining({ status: 'bad_request' }),
    );
  });
});

/** A stand-in for a logged-in basic-ftp client: only `closed` and `close()` matter to the pool. */
function fakeConnection(): BasicClient {
  const fake = {
    closed: false,
    close: () => {
      fake.closed = true;
    },
  };
  return fake as unknown as BasicClient;
}

describe('connection pool', () => {
  const never = new AbortController().signal;

  it('opens connections lazily up to its size and reuses released ones', async () => {
    const opened: BasicClient[] = [];
    const pool = new ConnectionPool(
      async () => opened[opened.push(fakeConnection()) - 1] as BasicClient,
      2,
      0,
    );
    const a = await pool.acquire(never);
    expect(opened).toHaveLength(1);
    a.release(true);
    const again = await pool.acquire(never);
    expect(again.ftp).toBe(a.ftp);
    const b = await pool.acquire(never);
    expect(opened).toHaveLength(2);
    let third: BasicClient | undefined;
    const waiting = pool.acquire(never).then((lease) => {
      third = lease.ftp;
      return lease;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBeUndefined();
    b.release(true);
    expect((await waiting).ftp).toBe(b.ftp);
    await pool.close();
  });

  it('replaces a broken connection and closes idle ones after the idle timeout', async () => {
    const opened: BasicClient[] = [];
    const pool = new ConnectionPool(
      async () => opened[opened.push(fakeConnection()) - 1] as BasicClient,
      1,
      20,
    );
    const first = await pool.acquire(never);
    first.release(false);
    expect(first.ftp.closed).toBe(true);
    const second = await pool.acquire(never);
    expect(second.ftp).not.toBe(first.ftp);
    second.release(true);
    expect(pool.idle).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(pool.idle).toBe(0);
    expect(second.ftp.closed).toBe(true);
    await pool.close();
  });

  it('fails a waiter whose signal aborts, and every waiter when closed', async () => {
    const pool = new ConnectionPool(async () => fakeConnection(), 1, 0);
    const held = await pool.acquire(never);
    const controller = new AbortController();
    const aborted = pool.acquire(controller.signal);
    controller.abort();
    await expect(aborted).rejects.toSatisfy(
      (error: unknown) => ParleyError.from(error).status === 'cancelled',
    );
    const waiting = pool.acquire(never);
    await pool.close();
    await expect(waiting).rejects.toSatisfy(
      (error: unknown) => ParleyError.from(error).status === 'unavailable',
    );
    expect(held.ftp.closed).toBe(true);
  });

  it('passes a refused login on and frees its slot', async () => {
    let attempts = 0;
    const pool = new ConnectionPool(
      async () => {
        attempts++;
        throw new FTPError({ code: 530, message: '530 Login incorrect.' });
      },
      1,
      0,
    );
    await expect(pool.acquire(never)).rejects.toBeInstanceOf(FTPError);
    await expect(pool.acquire(never)).rejects.toBeInstanceOf(FTPError);
    expect(attempts).toBe(2);
    expect(pool.size).toBe(0);
  });
});
