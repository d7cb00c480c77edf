import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FileChangedError, openFileWriter, openSizedFileReader, sizedReads } from '../src/file-streams.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-file-streams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 KiB + 3 bytes of a pattern, so a shifted or repeated chunk shows. */
const bytes = Buffer.from(Array.from({ length: 200 * 1024 + 3 }, (_, i) => (i * 7 + (i >> 10)) % 251));

describe('file streams with synchronous reads and writes', () => {
  it('reads a file whole, in chunks of at most the size asked for', async () => {
    const file = join(dir, 'in.bin');
    writeFileSync(file, bytes);
    const chunks: Buffer[] = [];
    await new Promise((resolve, reject) =>
      openSizedFileReader(file, 64 * 1024, bytes.length)
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .on('end', resolve)
        .on('error', reject),
    );
    expect(chunks.length).toBe(4);
    expect(Math.max(...chunks.map((chunk) => chunk.byteLength))).toBe(64 * 1024);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('writes every chunk in order', async () => {
    const file = join(dir, 'out.bin');
    const pieces = [bytes.subarray(0, 5), bytes.subarray(5, 100_000), bytes.subarray(100_000)];
    await pipeline(Readable.from(pieces), openFileWriter(file, 64 * 1024));
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a file that cannot be opened as the fs streams do', async () => {
    const missing = join(dir, 'no', 'such', 'file');
    await expect(
      pipeline(openSizedFileReader(missing, 1024, 1), async function* (source) {
        for await (const chunk of source) yield chunk;
      }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(pipeline(Readable.from([bytes]), openFileWriter(missing, 1024))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('reports a failing write (a directory opened for writing)', async () => {
    await expect(pipeline(Readable.from([bytes]), openFileWriter(dir, 1024))).rejects.toMatchObject({
      code: 'EISDIR',
    });
  });

  it('reads a sized file up to its size only, however much more it holds', async () => {
    const file = join(dir, 'grown.bin');
    writeFileSync(file, bytes);
    const chunks: Buffer[] = [];
    for await (const chunk of openSizedFileReader(file, 64 * 1024, 100_003)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(bytes.subarray(0, 100_003))).toBe(true);
  });

  it('fails a sized file that ends before its size instead of ending the stream', async () => {
    const file = join(dir, 'shrunk.bin');
    writeFileSync(file, bytes.subarray(0, 1000));
    const reading = pipeline(openSizedFileReader(file, 64 * 1024, bytes.length), async function* (source) {
      for await (const chunk of source) yield chunk;
    });
    await expect(reading).rejects.toBeInstanceOf(FileChangedError);
    await expect(reading).rejects.toMatchObject({ read: 1000, size: bytes.length });
  });

  it('reads into given buffers by the same rule: up to the size, then a shorter file is an error and the end', () => {
    const file = join(dir, 'filled.bin');
    writeFileSync(file, bytes.subarray(0, 1000));
    const fd = openSync(file, 'r');
    try {
      const buffer = new Uint8Array(600);
      const upTo = sizedReads(file, 700);
      expect(upTo.read(fd, buffer, 0, 600, 0)).toBe(600);
      expect(upTo.read(fd, buffer, 0, 600, 600)).toBe(100);
      expect(upTo.done).toBe(true);
      expect(upTo.read(fd, buffer, 0, 600, 700)).toBe(0);
      const past = sizedReads(file, 2000);
      expect(past.read(fd, buffer, 0, 600, 0)).toBe(600);
      expect(past.read(fd, buffer, 0, 600, 600)).toBe(400);
      expect(() => past.read(fd, buffer, 0, 600, 1000)).toThrow(FileChangedError);
      expect(past.done).toBe(true);
      expect(past.read(fd, buffer, 0, 600, 1000)).toBe(0);
    } finally {
      closeSync(fd);
    }
  });
});
