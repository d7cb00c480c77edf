import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Body,
  createRequest,
  createServer,
  fillChunks,
  ParleyError,
  type Request,
  respond,
} from '@parley/core';
import { type HttpOptions, http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import { serveEach } from './helpers.js';

const start = serveEach();

/** The file uploaded: 64 MiB of a 32-bit counter, so that no two 4-byte words are alike. */
const FILE_BYTES = 64 * 1024 * 1024;
let dir: string;
let file: string;
let fileHash: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-filled-upload-'));
  file = join(dir, 'counter.bin');
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(4 * 1024 * 1024);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < FILE_BYTES; written += block.byteLength) {
      for (let i = 0; i < block.byteLength; i += 4) block.writeUInt32LE((written + i) / 4, i);
      hash.update(block);
      writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  fileHash = hash.digest('hex');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a filling body's reads saw: how many, the bytes read, and how many distinct memory blocks. */
interface Fills {
  count: number;
  bytes: number;
  readonly memory: Set<ArrayBufferLike>;
}

/**
 * A body reading `path` into the buffers it is given (as the `parley` command offers a file);
 * `onFill` runs before each read. Streamed, it would send nothing.
 */
function fileBody(path: string, size: number, fills: Fills, onFill?: (count: number) => void): Body {
  const source = Object.assign(Readable.from([]), {
    [fillChunks]: () => {
      let fd: number | undefined;
      return (buffer: Uint8Array) => {
        fills.count++;
        fills.memory.add(buffer.buffer);
        onFill?.(fills.count);
        fd ??= openSync(path, 'r');
        const bytes = readSync(fd, buffer, 0, buffer.byteLength, null);
        if (bytes === 0) closeSync(fd);
        fills.bytes += bytes;
        return bytes;
      };
    },
  });
  return Body.from(source, size);
}

function newFills(): Fills {
  return { count: 0, bytes: 0, memory: new Set() };
}

/**
 * A server answering each PUT with the sha256 of its body; `pause` runs after each chunk read
 * (a slow reader), with the bytes read so far. `failures` collects what reading a body threw.
 */
async function hashingServer(
  pause?: (received: number) => Promise<void> | undefined,
): Promise<{ url: string; failures: unknown[] }> {
  const failures: unknown[] = [];
  const { url } = await start(hashing(failures, pause), SERVER_OPTIONS, { onError: () => {} });
  return { url, failures };
}

const SERVER_OPTIONS: HttpOptions = { maxBodyBytes: Number.MAX_SAFE_INTEGER, requestTimeoutMs: 0 };

/** The handler of {@link hashingServer}. */
function hashing(failures: unknown[], pause?: (received: number) => Promise<void> | undefined) {
  return async (request: Request) => {
    const hash = createHash('sha256');
    let received = 0;
    try {
      for await (const chunk of request.body) {
        hash.update(chunk);
        received += chunk.byteLength;
        await pause?.(received);
      }
    } catch (error) {
      failures.push(error);
      throw error;
    }
    return respond('ok', hash.digest('hex'));
  };
}

async function put(url: string, body: Body, signal?: AbortSignal, options?: HttpOptions): Promise<string> {
  const connector = http(url, options).connect();
  try {
    const request: Request = createRequest({ method: 'PUT', path: '/upload', body, signal });
    const response = await connector.send(request);
    expect(response.status).toBe('ok');
    return await response.body.text();
  } finally {
    await connector.close();
  }
}

/** Lets pending callbacks and I/O run a few times. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('an HTTP upload of a body that fills the buffers it is given', () => {
  it('sends every byte of a file from one reused buffer', { timeout: 60_000 }, async () => {
    const { url } = await hashingServer();
    const fills = newFills();
    expect(await put(url, fileBody(file, FILE_BYTES, fills))).toBe(fileHash);
    expect(fills.count).toBeGreaterThan(16);
    expect(fills.memory.size).toBe(1);
  });

  it('sends every byte to a server that reads slowly, while writes wait in the socket', {
    timeout: 60_000,
  }, async () => {
    // Every 2 MiB the reader stops a while: the socket buffers fill up and writes queue.
    let next = 0;
    const { url } = await hashingServer((received) => {
      if (received < next) return undefined;
      next += 2 * 1024 * 1024;
      return sleep(5);
    });
    const fills = newFills();
    expect(await put(url, fileBody(file, FILE_BYTES, fills))).toBe(fileHash);
    expect(fills.memory.size).toBe(1);
  });

  it('sends every byte over TLS to a server that reads slowly', { timeout: 60_000 }, async () => {
    const tls = selfSignedCertificate();
    let next = 0;
    const server = createServer(
      hashing([], (received) => {
        if (received < next) return undefined;
        next += 2 * 1024 * 1024;
        return sleep(5);
      }),
    );
    try {
      const listener = await server.listen(
        http('https://127.0.0.1:0', { ...SERVER_OPTIONS, tls: { key: tls.key, cert: tls.cert } }),
      );
      const fills = newFills();
      const sent = await put(listener.url, fileBody(file, FILE_BYTES, fills), undefined, {
        tls: { ca: tls.cert },
      });
      expect(sent).toBe(fileHash);
      expect(fills.memory.size).toBe(1);
    } finally {
      await server.close({ timeoutMs: 500 });
    }
  });

  it('stops reading the file when the upload is aborted midway', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const { url, failures } = await hashingServer((received) => {
      if (received < 8 * 1024 * 1024) return sleep(1);
      controller.abort();
      return sleep(10);
    });
    const fills = newFills();
    await expect(put(url, fileBody(file, FILE_BYTES, fills), controller.signal)).rejects.toMatchObject({
      status: 'cancelled',
    });
    await settle();
    const count = fills.count;
    await sleep(20);
    await settle();
    expect(fills.count).toBe(count);
    expect(fills.bytes).toBeLessThan(FILE_BYTES);
    await expect.poll(() => failures.length).toBe(1);
  });

  it('fails, and the server takes no body, when the file shrinks while it is sent', {
    timeout: 60_000,
  }, async () => {
    const shrinking = join(dir, 'shrinking.bin');
    copyFileSync(file, shrinking);
    const { url, failures } = await hashingServer();
    const fills = newFills();
    const body = fileBody(shrinking, FILE_BYTES, fills, (count) => {
      if (count === 4) truncateSync(shrinking, FILE_BYTES / 2);
    });
    const error = await put(url, body).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ status: 'bad_request' });
    await expect.poll(() => failures.length).toBe(1);
  });

  it('fails with what the filler throws, the server taking no body', {
    timeout: 60_000,
  }, async () => {
    const { url, failures } = await hashingServer();
    const fills = newFills();
    const body = fileBody(file, FILE_BYTES, fills, (count) => {
      if (count === 5) throw new Error('the disk went away');
    });
    await expect(put(url, body)).rejects.toThrow(/the disk went away/);
    await expect.poll(() => failures.length).toBe(1);
  });
});
