import { Writable } from 'node:stream';
import { Client } from 'basic-ftp';
import { memoryMiB } from '../lib/proc.js';
import type { Peer } from './peers.js';

const MIB = 1024 * 1024;

async function connect(peer: Peer): Promise<Client> {
  const client = new Client(30_000);
  await client.access({ host: '127.0.0.1', port: peer.port, user: 'anonymous', password: 'bench@' });
  return client;
}

/** A destination that drops what it gets. */
function discard(): Writable {
  return new Writable({
    highWaterMark: MIB,
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** STOR of a local file of `bytes` bytes; MB/s (10^6 bytes per second). */
export async function stor(peer: Peer, local: string, remote: string, bytes: number): Promise<number> {
  const client = await connect(peer);
  try {
    const started = performance.now();
    await client.uploadFrom(local, `/${remote}`);
    return bytes / 1e6 / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

/** RETR of a remote file of `bytes` bytes into a discarding stream; MB/s. */
export async function retr(peer: Peer, remote: string, bytes: number): Promise<number> {
  const client = await connect(peer);
  try {
    const sink = discard();
    const started = performance.now();
    await client.downloadTo(sink, `/${remote}`);
    return bytes / 1e6 / ((performance.now() - started) / 1000);
  } finally {
    client.close();
  }
}

/**
 * `clients` clients log in at once and each downloads `remote`; returns the wall time and the
 * server's VmRSS while all of them are still connected.
 */
export async function loginsAndDownloads(
  peer: Peer,
  clients: number,
  remote: string,
): Promise<{ seconds: number; rssWhileConnected: number }> {
  const open: Client[] = [];
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = new Client(30_000);
        open.push(client);
        await client.access({ host: '127.0.0.1', port: peer.port, user: 'anonymous', password: 'bench@' });
        await client.downloadTo(discard(), `/${remote}`);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rssWhileConnected: memoryMiB(peer.child.pid, 'VmRSS') };
  } finally {
    for (const client of open) client.close();
  }
}
