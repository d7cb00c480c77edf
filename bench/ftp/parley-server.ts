/**
 * The Parley FTP server of the benchmark, run in its own process so its memory can be read:
 * `parley-server.ts <root>` serves the directory `root` and prints `{"port": n}` once listening.
 * Exits on SIGTERM.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { createServer } from '@parley/core';
import { ftp } from '@parley/ftp';
import { diskStore } from './disk-store.js';

const root = process.argv[2];
if (root === undefined) throw new Error('usage: parley-server.ts <root>');
const server = createServer(diskStore(root));
// Every client of the benchmark comes from 127.0.0.1: the per-address cap (default 64) is raised
// to pyftpdlib's (no cap per address, 512 connections in all) so that 100 clients can log in.
const listener = await server.listen(
  ftp('ftp://127.0.0.1:0', { server: { maxConnections: 512, maxConnectionsPerAddress: 512 } }),
);
process.stdout.write(`${JSON.stringify({ port: Number(new URL(listener.url).port) })}\n`);
// BENCH_FTP_MEMORY=1: SIGUSR2 prints the process's memory figures (after a full collection when
// run with --expose-gc) to stderr, to see where the server's memory goes between rounds.
if (process.env.BENCH_FTP_MEMORY === '1') {
  process.on('SIGUSR2', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
    const usage = process.memoryUsage();
    const spaces = getHeapSpaceStatistics()
      .map((space) => `${space.space_name} ${mib(space.space_size)}/${mib(space.space_used_size)}`)
      .join(', ');
    process.stderr.write(
      `memory MiB: rss ${mib(usage.rss)}, heap ${mib(usage.heapTotal)}/${mib(usage.heapUsed)} (total/used), external ${mib(usage.external)}, arrayBuffers ${mib(usage.arrayBuffers)}; ${spaces}\n`,
    );
  });
}
process.once('SIGTERM', () => {
  void server.close({ timeoutMs: 1000 }).finally(() => process.exit(0));
});
