/**
 * What flushing each write to disk costs the disk store: `writes` notes of `bytes` bytes each,
 * written one after the other with fsync on and off, printed as ms per write.
 * Run: `node --import tsx examples/notes/fsync-cost.ts [writes] [bytes] [dir]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body } from '@parley/core';
import { openDiskStore } from './src/disk-store.js';

const writes = Number(process.argv[2] ?? 200);
const bytes = Number(process.argv[3] ?? 1024);
const base = process.argv[4] ?? tmpdir();
const content = new Uint8Array(bytes).fill(97);

/** Writes `writes` notes (each a replace of its own name) and returns the ms per write. */
async function measure(fsync: boolean): Promise<number> {
  const dir = await mkdtemp(join(base, 'parley-fsync-cost-'));
  try {
    const store = await openDiskStore(dir, { fsync });
    const started = performance.now();
    for (let i = 0; i < writes; i++) {
      await store.write(`note-${i}.txt`, Body.from(content), { mode: 'replace' });
    }
    return (performance.now() - started) / writes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Alternate the two, so a machine that gets busier or idler halfway treats both alike.
const results: Record<'on' | 'off', number[]> = { on: [], off: [] };
for (let round = 0; round < 3; round++) {
  results.off.push(await measure(false));
  results.on.push(await measure(true));
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1] ?? Number.NaN;
const on = median(results.on);
const off = median(results.off);
console.log(`${writes} writes of ${bytes} bytes in ${base} (median of 3 rounds)`);
console.log(`fsync on:  ${on.toFixed(3)} ms per write`);
console.log(`fsync off: ${off.toFixed(3)} ms per write`);
console.log(`cost:      ${(on - off).toFixed(3)} ms per write (x${(on / off).toFixed(1)})`);
