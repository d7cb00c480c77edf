/**
 * The Parley FTP server of the benchmark, run in its own process so its memory can be read:
 * `parley-server.ts <root>` serves the directory `root` and prints `{"port": n}` once listening.
 * Exits on SIGTERM.
 */
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
process.once('SIGTERM', () => {
  void server.close({ timeoutMs: 1000 }).finally(() => process.exit(0));
});
