import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body } from '@parley/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { openDiskStore } from '../src/disk-store.js';
import type { NoteStore } from '../src/store.js';

const MiB = 1024 * 1024;

/** A body of `chunks` chunks of 64 KiB that waits on `gate` before the chunk numbered `pauseAt`. */
function slowBody(chunks: number, pauseAt: number, gate: Promise<void>, failAtPause = false): Body {
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < chunks; i++) {
      if (i === pauseAt) {
        await gate;
        if (failAtPause) throw new Error('the client went away');
      }
      yield new Uint8Array(64 * 1024).fill(i % 256);
    }
  }
  return Body.from(generate());
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('the disk store', () => {
  let dir: string;
  let store: NoteStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-notes-disk-'));
    store = await openDiskStore(dir, { maxNoteBytes: 4 * MiB });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams an upload to a temporary file and renames it into place once complete', async () => {
    const gate = deferred();
    const writing = store.write('big.bin', slowBody(32, 16, gate.promise), { mode: 'replace' });
    await eventually(async () => {
      const temps = (await readdir(dir)).filter((name) => name.startsWith('.upload-'));
      return temps.length === 1 && (await stat(join(dir, temps[0] as string))).size > 0;
    }, 20_000);
    expect(await readdir(dir)).not.toContain('big.bin');
    expect(await store.list()).toEqual([]);
    gate.resolve();
    const result = await writing;
    expect(result).toMatchObject({ created: true, info: { name: 'big.bin', size: 2 * MiB } });
    expect(await readdir(dir)).toEqual(['big.bin']);
  });

  it('streams a note back from disk chunk by chunk', async () => {
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(2 * MiB, 7));
    const found = await store.read('big.bin');
    expect(found?.body.size).toBe(2 * MiB);
    let chunks = 0;
    let total = 0;
    for await (const chunk of found?.body ?? Body.empty()) {
      chunks++;
      total += chunk.byteLength;
    }
    expect(total).toBe(2 * MiB);
    expect(chunks).toBeGreaterThan(1);
  });

  it('keeps nothing of an aborted upload', async () => {
    const gate = deferred();
    const abort = new AbortController();
    const writing = store.write('aborted.bin', slowBody(32, 8, gate.promise), {
      mode: 'replace',
      signal: abort.signal,
    });
    // Its temporary file is there (beside the note's lock, held while it writes).
    await eventually(async () => (await readdir(dir)).some((name) => name.startsWith('.upload-')), 20_000);
    abort.abort();
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    gate.resolve();
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps the old content when a replacing or appending upload fails midway', async () => {
    await store.write('kept.txt', Body.from('old'), { mode: 'replace' });
    for (const mode of ['replace', 'append'] as const) {
      const gate = deferred();
      gate.resolve();
      await expect(store.write('kept.txt', slowBody(8, 4, gate.promise, true), { mode })).rejects.toThrow(
        'the client went away',
      );
      expect(await readFile(join(dir, 'kept.txt'), 'utf8')).toBe('old');
    }
    expect(await readdir(dir)).toEqual(['kept.txt']);
  });

  it('refuses a note over the limit with too_large and keeps nothing of it', async () => {
    const gate = deferred();
    gate.resolve();
    await expect(
      store.write('huge.bin', slowBody(65, 100, gate.promise), { mode: 'replace' }),
    ).rejects.toMatchObject({ status: 'too_large' });
    await store.write('grows.bin', Body.from(Buffer.alloc(4 * MiB - 1)), { mode: 'replace' });
    await expect(store.write('grows.bin', Body.from('ab'), { mode: 'append' })).rejects.toMatchObject({
      status: 'too_large',
    });
    expect(await readdir(dir)).toEqual(['grows.bin']);
    expect((await store.stat('grows.bin'))?.size).toBe(4 * MiB - 1);
  });

  it('creates only once: a second create of the same name is a conflict', async () => {
    await store.write('once.txt', Body.from('first'), { mode: 'create' });
    await expect(store.write('once.txt', Body.from('second'), { mode: 'create' })).rejects.toMatchObject({
      status: 'conflict',
    });
    expect(await readFile(join(dir, 'once.txt'), 'utf8')).toBe('first');
  });

  it('serialises appends to one note', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.write('log.txt', Body.from(`${i}\n`), { mode: 'append' })),
    );
    const lines = (await readFile(join(dir, 'log.txt'), 'utf8')).trim().split('\n');
    expect(lines.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('lists only notes: no temporary or dot-files, no directories', async () => {
    await writeFile(join(dir, '.DS_Store'), 'x');
    await writeFile(join(dir, 'b.txt'), 'bb');
    await writeFile(join(dir, 'a.txt'), 'a');
    await mkdir(join(dir, 'sub'));
    expect((await store.list()).map((note) => [note.name, note.size])).toEqual([
      ['a.txt', 1],
      ['b.txt', 2],
    ]);
  });

  it('removes temporary files left by a crash when it opens', async () => {
    await writeFile(join(dir, '.upload-left-behind'), 'partial');
    await writeFile(join(dir, 'note.txt'), 'kept');
    await openDiskStore(dir);
    expect(await readdir(dir)).toEqual(['note.txt']);
  });

  it('moves a note with one rename, replacing a note of the target name', async () => {
    await store.write('a.txt', Body.from('alpha'), { mode: 'replace' });
    await store.write('b.txt', Body.from('beta'), { mode: 'replace' });
    const inode = (await stat(join(dir, 'a.txt'))).ino;
    expect(await store.move('a.txt', 'c.txt')).toMatchObject({
      info: { name: 'c.txt', size: 5 },
      replaced: false,
    });
    expect((await stat(join(dir, 'c.txt'))).ino).toBe(inode);
    expect(await store.move('c.txt', 'b.txt')).toMatchObject({ info: { name: 'b.txt' }, replaced: true });
    expect(await readdir(dir)).toEqual(['b.txt']);
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('alpha');
  });

  it('does not replace a note when the move may not overwrite (Overwrite: F)', async () => {
    await store.write('kept.txt', Body.from('kept'), { mode: 'replace' });
    await store.write('other.txt', Body.from('other'), { mode: 'replace' });
    await expect(store.move('other.txt', 'kept.txt', false)).rejects.toMatchObject({
      status: 'precondition_failed',
    });
    expect(await readFile(join(dir, 'kept.txt'), 'utf8')).toBe('kept');
    expect(await readFile(join(dir, 'other.txt'), 'utf8')).toBe('other');
    expect(await store.move('other.txt', 'free.txt', false)).toMatchObject({ replaced: false });
  });

  it('moves a note onto itself as a no-op, and a missing one not at all', async () => {
    await store.write('same.txt', Body.from('kept'), { mode: 'replace' });
    expect(await store.move('same.txt', 'same.txt')).toMatchObject({ replaced: false });
    expect(await readFile(join(dir, 'same.txt'), 'utf8')).toBe('kept');
    expect(await store.move('missing.txt', 'other.txt')).toBeUndefined();
    expect(await readdir(dir)).toEqual(['same.txt']);
  });

  it('holds both names of a move: crossing moves and writes finish without deadlock', async () => {
    await store.write('x.txt', Body.from('x'), { mode: 'replace' });
    await store.write('y.txt', Body.from('y'), { mode: 'replace' });
    const work = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 2
        ? store.write(i % 2 ? 'x.txt' : 'y.txt', Body.from(`${i}`), { mode: 'append' })
        : i % 2
          ? store.move('x.txt', 'y.txt')
          : store.move('y.txt', 'x.txt'),
    );
    await Promise.all(work);
    const names = await readdir(dir);
    expect(names.every((name) => name === 'x.txt' || name === 'y.txt')).toBe(true);
    expect(names.length).toBeGreaterThan(0);
  });

  it('never follows a symbolic link: not listed, not read, not written, moved or deleted through', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'parley-notes-outside-'));
    try {
      await writeFile(join(outside, 'secret.txt'), 'secret');
      await writeFile(join(dir, 'real.txt'), 'real');
      await symlink(join(outside, 'secret.txt'), join(dir, 'out.txt'));
      await symlink('real.txt', join(dir, 'in.txt'));
      expect((await store.list()).map((note) => note.name)).toEqual(['real.txt']);
      for (const link of ['out.txt', 'in.txt']) {
        expect(await store.stat(link)).toBeUndefined();
        expect(await store.read(link)).toBeUndefined();
        for (const mode of ['replace', 'append', 'create'] as const) {
          await expect(store.write(link, Body.from('x'), { mode })).rejects.toMatchObject({
            status: 'forbidden',
          });
        }
        await expect(store.delete(link)).rejects.toMatchObject({ status: 'forbidden' });
        await expect(store.move(link, 'moved.txt')).rejects.toMatchObject({ status: 'forbidden' });
        await expect(store.move('real.txt', link)).rejects.toMatchObject({ status: 'forbidden' });
        expect((await lstat(join(dir, link))).isSymbolicLink()).toBe(true);
      }
      expect(await readlink(join(dir, 'in.txt'))).toBe('real.txt');
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
      expect(await readFile(join(dir, 'real.txt'), 'utf8')).toBe('real');
      expect((await readdir(dir)).sort()).toEqual(['in.txt', 'out.txt', 'real.txt']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('keeps every guarantee with fsync turned off', async () => {
    const fast = await openDiskStore(dir, { fsync: false });
    await fast.write('quick.txt', Body.from('one'), { mode: 'replace' });
    await fast.write('quick.txt', Body.from('two'), { mode: 'append' });
    await fast.move('quick.txt', 'moved.txt');
    expect(await readFile(join(dir, 'moved.txt'), 'utf8')).toBe('onetwo');
    expect(await fast.delete('moved.txt')).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });
});
