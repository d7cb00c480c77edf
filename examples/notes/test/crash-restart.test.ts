import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendedChunk,
  appendedUpTo,
  type StepWriter,
  untilAcked,
  writeSteps,
} from '../../../test/support/crash-writes.js';
import { type ChildService, spawnService, withLogin } from './helpers.js';

const RUNS = 4;

/** The content of one version of a note: a header naming it, then filler of a size that varies. */
function content(note: string, version: number): Buffer {
  const head = `${note} v${version}|`;
  const size = ((version * 7919) % 64) * 16 * 1024 + 1;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(size, version % 256)]);
}

/** One writer's note and what it knows of the steps the service acknowledged. */
interface Writer extends StepWriter {
  readonly note: string;
}

/** Replaces one note version after version until a request fails. */
function replaceLoop(client: Client, writer: Writer, stop: { stopped: boolean }): Promise<void> {
  return writeSteps(writer, stop, (version) =>
    client.put(`/notes/${writer.note}`, content(writer.note, version)),
  );
}

/** Appends chunk after chunk to one note until a request fails. */
function appendLoop(client: Client, writer: Writer, stop: { stopped: boolean }): Promise<void> {
  return writeSteps(writer, stop, (i) => client.post(`/notes/${writer.note}`, appendedChunk(i)));
}

/** Puts a note, then deletes it, over and over: odd steps are puts, even steps deletes. */
function putDeleteLoop(client: Client, writer: Writer, stop: { stopped: boolean }): Promise<void> {
  return writeSteps(
    writer,
    stop,
    (step) =>
      step % 2 === 1
        ? client.put(`/notes/${writer.note}`, content(writer.note, step))
        : client.delete(`/notes/${writer.note}`),
    ['created', 'ok', 'no_content'],
  );
}

/**
 * Closes a client whose server is gone, waiting at most 2 s: an MQTT client whose broker died
 * with requests in flight does not finish closing (a transport matter, not the store's).
 */
async function closeSoon(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.close().catch(() => {}),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 2_000);
    }),
  ]);
  clearTimeout(timer);
}

async function readNote(dir: string, note: string): Promise<Buffer | undefined> {
  return readFile(join(dir, note)).catch(() => undefined);
}

describe('the notes service killed (SIGKILL) in the middle of writes', () => {
  let dataDir: string;
  let service: ChildService | undefined;

  afterEach(async () => {
    if (service !== undefined && service.child.exitCode === null) service.child.kill('SIGKILL');
    service = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write whole, and nothing torn, over ${RUNS} kills`, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-crash-'));
    const replacers: Writer[] = [];
    const appenders: Writer[] = [];
    const togglers: Writer[] = [];
    for (const protocol of ['http', 'ws', 'ftp', 'mqtt']) {
      replacers.push({ note: `${protocol}-replaced.bin`, acked: 0, inFlight: 0 });
      appenders.push({ note: `${protocol}-appended.bin`, acked: 0, inFlight: 0 });
      togglers.push({ note: `${protocol}-toggled.bin`, acked: 0, inFlight: 0 });
    }
    for (let run = 0; run < RUNS; run++) {
      service = await spawnService({ PARLEY_DATA_DIR: dataDir });
      const started = service;
      // Temporary files a kill left behind are gone once the service serves again.
      expect((await readdir(dataDir)).filter((name) => name.startsWith('.'))).toEqual([]);
      const clients = [
        createClient(http(started.url('http')), { timeoutMs: 5_000 }),
        createClient(ws(started.url('ws')), { timeoutMs: 5_000 }),
        createClient(ftp(withLogin(started.url('ftp'))), { timeoutMs: 5_000 }),
        createClient(mqtt(started.url('mqtt')), { timeoutMs: 5_000 }),
      ];
      const stop = { stopped: false };
      const loops = clients.flatMap((client, i) => [
        replaceLoop(client, replacers[i] as Writer, stop),
        appendLoop(client, appenders[i] as Writer, stop),
        putDeleteLoop(client, togglers[i] as Writer, stop),
      ]);
      let done = false;
      const settled = Promise.allSettled(loops).then((results) => {
        done = true;
        return results;
      });
      // Killed once some writes went through, at a moment that varies from run to run.
      await untilAcked(replacers, 4 + run * 3, () => done);
      started.child.kill('SIGKILL');
      await started.exited;
      stop.stopped = true;
      await settled;
      await Promise.all(clients.map(closeSoon));

      for (const writer of replacers) {
        const found = await readNote(dataDir, writer.note);
        const ok = [writer.acked, writer.inFlight]
          .filter((version) => version > 0)
          .map((version) => content(writer.note, version));
        if (writer.acked === 0) expect(found === undefined || found.equals(ok[0] as Buffer)).toBe(true);
        else
          expect(
            ok.some((expected) => found?.equals(expected)),
            `${writer.note} run ${run}`,
          ).toBe(true);
      }
      for (const writer of appenders) {
        const found = (await readNote(dataDir, writer.note)) ?? Buffer.alloc(0);
        const whole = [appendedUpTo(writer.acked), appendedUpTo(writer.inFlight)];
        expect(
          whole.some((expected) => found.equals(expected)),
          `${writer.note} run ${run}`,
        ).toBe(true);
      }
      for (const writer of togglers) {
        const found = await readNote(dataDir, writer.note);
        const allowed = [writer.acked, writer.inFlight].map((step) =>
          step % 2 === 1 ? content(writer.note, step) : undefined,
        );
        expect(
          allowed.some((expected) =>
            expected === undefined ? found === undefined : found?.equals(expected) === true,
          ),
          `${writer.note} run ${run}`,
        ).toBe(true);
      }
      // A write in flight at the kill may have been kept: the next run goes on from what is there.
      for (const writer of replacers) {
        const found = await readNote(dataDir, writer.note);
        if (found?.equals(content(writer.note, writer.inFlight))) writer.acked = writer.inFlight;
      }
      for (const writer of appenders) {
        const found = await readNote(dataDir, writer.note);
        if (found?.equals(appendedUpTo(writer.inFlight))) writer.acked = writer.inFlight;
      }
      for (const writer of togglers) {
        const present = (await readNote(dataDir, writer.note)) !== undefined;
        if (present === (writer.inFlight % 2 === 1)) writer.acked = writer.inFlight;
      }
      for (const writer of [...replacers, ...appenders, ...togglers]) writer.inFlight = writer.acked;
    }
    // Once more: the last kill's temporary files are cleaned up too, and the listing shows notes only.
    service = await spawnService({ PARLEY_DATA_DIR: dataDir });
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.'))).toEqual([]);
    await using client = createClient(http(service.url('http')));
    const listing = await (await client.list('/notes/')).body.json();
    expect(JSON.stringify(listing)).not.toContain('.upload-');
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(0);
  }, 240_000);
});
