import { createServer as createTcpServer } from 'node:net';
import { createServer, ParleyError, respond } from '@parley/core';
import { FTP_SERVER_DEFAULTS, ftp } from '@parley/ftp';
import { describe, expect, it } from 'vitest';
import { parseEprt, parsePort } from '../src/server/addresses.js';
import { LineReader } from '../src/server/line-reader.js';
import { renderListing, unixLine } from '../src/server/listing-format.js';
import { resolveServerOptions } from '../src/server/options.js';

function read(chunks: (string | Buffer)[], max = 32): { lines: string[]; tooLong: number } {
  const lines: string[] = [];
  let tooLong = 0;
  const reader = new LineReader(
    max,
    (line) => lines.push(line),
    () => tooLong++,
  );
  for (const chunk of chunks) reader.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return { lines, tooLong };
}

describe('command lines', () => {
  it('splits CRLF and LF lines across chunks and decodes UTF-8 split between chunks', () => {
    const name = Buffer.from('RETR é.txt\r\n');
    const cut = name.indexOf(0xc3) + 1;
    expect(read(['USER a\r\nPA', 'SS b\nNOOP\r\n', name.subarray(0, cut), name.subarray(cut)]).lines).toEqual(
      ['USER a', 'PASS b', 'NOOP', 'RETR é.txt'],
    );
  });

  it('removes Telnet IAC sequences and keeps a doubled IAC as one byte', () => {
    const line = Buffer.from([0xff, 0xf4, 0xff, 0xf2, ...Buffer.from('ABOR\r\n')]);
    expect(read([line]).lines).toEqual(['ABOR']);
  });

  it('stops at a line longer than the limit, with or without its newline, never buffering more', () => {
    expect(read([`${'x'.repeat(40)}\r\nNOOP\r\n`])).toEqual({ lines: [], tooLong: 1 });
    expect(read(['x'.repeat(20), 'x'.repeat(20), 'NOOP\r\n'])).toEqual({ lines: [], tooLong: 1 });
    expect(read([`${'x'.repeat(30)}\r\n`]).lines).toHaveLength(1);
  });
});

describe('active mode addresses', () => {
  it('parses PORT and EPRT and refuses malformed ones', () => {
    expect(parsePort('127,0,0,1,195,80')).toEqual({ host: '127.0.0.1', port: 50000 });
    expect(parsePort('127,0,0,1,195')).toBeUndefined();
    expect(parsePort('127,0,0,1,256,1')).toBeUndefined();
    expect(parseEprt('|1|10.1.2.3|6275|')).toEqual({ host: '10.1.2.3', port: 6275 });
    expect(parseEprt('!2!::1!6275!')).toEqual({ host: '::1', port: 6275 });
    expect(parseEprt('|3|x|1|')).toBeUndefined();
    expect(parseEprt('|1|10.1.2.3|0|')).toBeUndefined();
    expect(parseEprt('|1|host.example|21|')).toBeUndefined();
  });
});

describe('listing output', () => {
  it('skips entry names that could forge lines or climb (slashes, CR, LF, dots)', () => {
    const entries = ['ok', 'a/b', 'x\r\n226 forged', '..', '.', ''].map((name) => ({
      name,
      type: 'file' as const,
    }));
    expect(renderListing(entries, 'NLST', ['type'])).toBe('ok\r\n');
  });

  it('shows the year for entries older than six months, the time for recent ones', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(unixLine({ name: 'old', type: 'file', size: 1, modified: '2020-02-03T04:05:06Z' }, now)).toBe(
      '-rw-r--r-- 1 owner group            1 Feb  3  2020 old',
    );
    expect(unixLine({ name: 'new', type: 'directory', modified: '2025-05-20T10:11:00Z' }, now)).toBe(
      'drwxr-xr-x 1 owner group            0 May 20 10:11 new',
    );
  });
});

describe('options and URLs', () => {
  it('applies FTP_SERVER_DEFAULTS and takes maxBodyBytes over the deprecated maxUploadBytes', () => {
    const resolved = resolveServerOptions({});
    expect(resolved.maxBodyBytes).toBe(FTP_SERVER_DEFAULTS.maxBodyBytes);
    expect(resolved.maxConnections).toBe(1024);
    expect(resolveServerOptions({ maxUploadBytes: 5 }).maxBodyBytes).toBe(5);
    expect(resolveServerOptions({ maxUploadBytes: 5, maxBodyBytes: 7 }).maxBodyBytes).toBe(7);
  });

  it('refuses settings that make no sense with bad_request', () => {
    for (const options of [
      { maxBodyBytes: -1 },
      { dataTimeoutMs: Number.NaN },
      { passivePorts: { min: 9, max: 1 } },
    ]) {
      expect(() => resolveServerOptions(options)).toThrow(
        expect.objectContaining({ name: 'ParleyError', status: 'bad_request' }),
      );
    }
  });

  it('refuses a URL that is not ftp:// or ftps:// with bad_request', () => {
    for (const url of ['not a url', 'http://127.0.0.1:21']) {
      let thrown: unknown;
      try {
        ftp(url);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ParleyError);
      expect((thrown as ParleyError).status).toBe('bad_request');
    }
  });

  it('answers an address in use with conflict, naming the address', async () => {
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const server = createServer(async () => respond('ok'));
    try {
      await expect(server.listen(ftp(`ftp://127.0.0.1:${port}`))).rejects.toMatchObject({
        status: 'conflict',
        message: expect.stringContaining(`127.0.0.1:${port}`),
      });
    } finally {
      await server.close({ timeoutMs: 100 });
      taken.close();
    }
  });
});
