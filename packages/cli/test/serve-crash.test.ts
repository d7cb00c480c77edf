import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  appendedChunk,
  appendedUpTo,
  type StepWriter,
  untilAcked,
  writeSteps,
} from '../../../test/support/crash-writes.js';
import { BUILD_TIMEOUT_MS, buildParley, type Serving, serve } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const RUNS = 3;

/** One version of a file: a header naming it, then filler whose size varies. */
function content(file: string, version: number): Buffer {
  return Buffer.concat([
    Buffer.from(`${file} v${version}|`),
    Buffer.alloc(((version * 7919) % 48) * 16 * 1024, version % 256),
  ]);
}

/** One writer's file, whether it appends or replaces, and the steps the server acknowledged. */
interface Writer extends StepWriter {
  readonly file: string;
  readonly append: boolean;
}

/** Appends to or replaces the writer's file, step after step, until a request fails. */
function loop(client: Client, writer: Writer, stop: { stopped: boolean }): Promise<void> {
  return writeSteps(writer, stop, (step) =>
    writer.append
      ? client.post(`/${writer.file}`, appendedChunk(step))
      : client.put(`/${writer.file}`, content(writer.file, step)),
  );
}

function read(dir: string, file: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, file));
  } catch {
    return undefined;
  }
}

/** What a writer's file may hold: its last acknowledged version, or the one in flight, whole. */
function allowed(writer: Writer): Array<Buffer | undefined> {
  const of = (n: number) => (writer.append ? appendedUpTo(n) : n === 0 ? undefined : content(writer.file, n));
  return [of(writer.acked), of(writer.inFlight)];
}

function settledTo(found: Buffer | undefined, options: Array<Buffer | undefined>): boolean {
  return options.some((option) =>
    option === undefined ? found === undefined : found?.equals(option) === true,
  );
}

describe('parley serve --write killed (SIGKILL) in the middle of uploads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-serve-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged upload and append whole over ${RUNS} kills, and lists no temporary file`, async () => {
    const writers: Writer[] = [
      { file: 'http-put.bin', append: false, acked: 0, inFlight: 0 },
      { file: 'http-post.bin', append: true, acked: 0, inFlight: 0 },
      { file: 'ftp-put.bin', append: false, acked: 0, inFlight: 0 },
      { file: 'ftp-appe.bin', append: true, acked: 0, inFlight: 0 },
    ];
    let serving: Serving | undefined;
    for (let run = 0; run < RUNS; run++) {
      serving = await serve(dir, ['--write', '--user', 'demo', '--password', 'pw', '--silent']);
      const httpUrl = new URL(serving.urls.http as string);
      const ftpUrl = new URL(serving.urls.ftp as string);
      for (const url of [httpUrl, ftpUrl]) {
        url.username = 'demo';
        url.password = 'pw';
      }
      const clients = [
        createClient(http(httpUrl.href), { timeoutMs: 5_000, retries: 0 }),
        createClient(ftp(ftpUrl.href), { timeoutMs: 5_000, retries: 0 }),
      ];
      const stop = { stopped: false };
      let done = false;
      const settled = Promise.allSettled(
        writers.map((writer, i) => loop(clients[i < 2 ? 0 : 1] as Client, writer, stop)),
      ).then(() => {
        done = true;
      });
      await untilAcked(writers, 6 + run * 5, () => done);
      const exited = new Promise((resolve) => serving?.child.once('exit', resolve));
      serving.child.kill('SIGKILL');
      await exited;
      stop.stopped = true;
      await settled;
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      for (const writer of writers) {
        const found = read(dir, writer.file);
        expect(settledTo(found, allowed(writer)), `${writer.file} after kill ${run}`).toBe(true);
        // Going on from what is there: a write in flight at the kill may have been kept.
        const kept = writer.append ? appendedUpTo(writer.inFlight) : content(writer.file, writer.inFlight);
        if (found?.equals(kept)) writer.acked = writer.inFlight;
        writer.inFlight = writer.acked;
      }
    }
    // Temporary files a kill left are never listed nor served.
    serving = await serve(dir, ['--silent']);
    await using client = createClient(http(serving.urls.http as string));
    const listing = JSON.stringify(await (await client.list('/')).body.json());
    expect(listing).not.toContain('.parley-upload-');
    const leftovers = readdirSync(dir).filter((name) => name.startsWith('.parley-upload-'));
    for (const name of leftovers) expect((await client.get(`/${name}`)).status).toBe('not_found');
    expect(await serving.stop()).toBe(0);
  });
});
