import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { ParleyError } from '../error.js';
import { passwordTable } from '../password-table.js';
import type { Response } from '../response.js';
import type { KitContext } from './setup.js';

/** The status a call ended with, whether answered or thrown. */
async function outcome(call: Promise<Response>): Promise<string> {
  try {
    const response = await call;
    await response.body.cancel();
    return response.status;
  } catch (error) {
    return ParleyError.from(error).status;
  }
}

/** A body that sends `bytes` bytes and then fails, as an upload whose sender died midway. */
async function* cutOff(bytes: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(16 * 1024).fill(120);
  for (let sent = 0; sent < bytes; sent += chunk.byteLength) yield chunk;
  await new Promise((resolve) => setTimeout(resolve, 50));
  throw new Error('the sender went away');
}

/** Opens `count` TCP connections to `url`'s host and port from `localAddress` that send nothing. */
async function idleSockets(url: string, count: number, localAddress: string): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  const opened = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect({ host: hostname, port: Number(port), localAddress });
          socket.on('error', () => {});
          socket.once('connect', () => resolve(socket));
          socket.once('close', () => resolve(socket));
        }),
    ),
  );
  return opened;
}

/**
 * What a hostile or failing peer must not achieve, whatever the protocol: an upload cut off
 * midway replaces nothing, a body over the limit is refused, idle connections from one address
 * starve nobody else, and credential guessing is throttled.
 */
export function describeHostilePeers(kit: KitContext): void {
  describe('hostile peers', () => {
    it('an upload cut off midway leaves the stored version intact', async (context) => {
      if (!kit.carries('PUT')) return context.skip();
      kit.service.files.set('kept.txt', Buffer.from('the old version'));
      const status = await outcome(kit.client.put('/store/kept.txt', cutOff(256 * 1024)));
      expect(status).not.toBe('ok');
      expect(status).not.toBe('created');
      // Give a server that wrongly took the cut-off for the end every chance to commit it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(kit.service.files.get('kept.txt')?.toString()).toBe('the old version');
    });

    it('a body over the server limit is refused with too_large and stores nothing', async (context) => {
      const limited = kit.target.limitedServer;
      if (limited === undefined || (!kit.carries('PUT') && !kit.carries('POST'))) return context.skip();
      const { url, service } = await kit.startServer({}, limited(64 * 1024));
      await using client = createClient(kit.target.client(url), { retries: 0 });
      const method = kit.carries('PUT') ? 'PUT' : 'POST';
      const status = await outcome(
        client.request(method, '/store/big.bin', { body: new Uint8Array(1024 * 1024).fill(1) }),
      );
      expect(status).toBe('too_large');
      expect(service.files.has('big.bin')).toBe(false);
    });

    it('idle connections from one address starve no other client', async (context) => {
      if (kit.target.acceptsConnections === false || new URL(kit.url).port === '') return context.skip();
      const sockets = await idleSockets(kit.url, 1_100, '127.0.0.2');
      // A new client, with no connection opened before the idle ones took their places.
      await using fresh = createClient(kit.target.client(kit.url), { retries: 0 });
      try {
        const status = await outcome(fresh.request(kit.probe, '/status/ok', { body: '', timeoutMs: 10_000 }));
        expect(status).toBe('ok');
      } finally {
        for (const socket of sockets) socket.destroy();
      }
    });

    it('credential guessing is throttled per address, across connections', async (context) => {
      if (kit.target.auth === false || kit.target.server().contract.auth.length === 0) return context.skip();
      // A user no other server of the suite knows: on a brokered protocol the servers of one
      // suite may share a broker, where any of their hooks may accept a login.
      const { url, service } = await kit.startServer({
        authenticate: passwordTable({ mallory: 'r1ght' }),
        authThrottle: { freeFailures: 2, baseDelayMs: 60_000 },
      });
      const statuses: string[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        await using guess = createClient(
          kit.target.client(url, { username: 'mallory', password: `guess${attempt}` }),
          {
            retries: 0,
          },
        );
        statuses.push(await outcome(guess.request(kit.probe, '/whoami', { body: '' })));
      }
      expect(statuses.slice(0, 2)).toEqual(['unauthenticated', 'unauthenticated']);
      // `too_many_requests` where the protocol can say it; `unavailable` where its only refusal
      // is "come back later" (an MQTT 3.1.1 CONNACK has no code for a rate).
      const throttled = ['too_many_requests', 'unavailable'];
      expect(throttled).toContain(statuses.at(-1));
      await using right = createClient(kit.target.client(url, { username: 'mallory', password: 'r1ght' }), {
        retries: 0,
      });
      expect(throttled).toContain(await outcome(right.request(kit.probe, '/whoami', { body: '' })));
      expect(service.seen).toHaveLength(0);
    });
  });
}
