import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { servedFolder } from './support.js';

const served = servedFolder('parley-hosts-', ['--allow-host', 'files.example.com'], (dir) => {
  writeFileSync(join(dir, 'secret.txt'), 'private\n');
});
let port: number;

beforeAll(() => {
  port = Number(new URL(served.serving.urls.http as string).port);
});

/** GET /secret.txt on the served port, naming `host` in the Host field. */
function get(host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/secret.txt', headers: { host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('parley serve and DNS rebinding', () => {
  it('refuses a request naming a host it does not know, which a rebound page would send', async () => {
    const { status, text } = await get(`attacker.example:${port}`);
    expect(status).toBe(403);
    expect(text).toMatch(/attacker\.example.*--allow-host/);
    expect(text).not.toMatch(/private/);
    expect((await get(`127.0.0.1.attacker.example:${port}`)).status).toBe(403);
  });

  it('serves localhost, IP addresses and the hosts given with --allow-host', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `[::1]:${port}`,
      'files.example.com',
    ]) {
      const { status, text } = await get(host);
      expect({ host, status }).toEqual({ host, status: 200 });
      expect(text).toBe('private\n');
    }
  });

  it('refuses WebSocket upgrades naming an unknown host, on /parley and on the broker port', async () => {
    const wsPort = Number(new URL(served.serving.urls.ws as string).port);
    const brokerPort = Number(new URL(served.serving.urls['mqtt+ws'] as string).port);
    for (const [target, path] of [
      [wsPort, '/parley'],
      [brokerPort, '/'],
    ] as const) {
      expect(await upgradeStatus(target, path, `attacker.example:${target}`)).toBe(403);
      expect(await upgradeStatus(target, path, `127.0.0.1:${target}`)).toBe(101);
    }
  });
});

/** The status line's code of a WebSocket upgrade naming `host`. */
function upgradeStatus(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Protocol: mqtt\r\n\r\n',
      );
    });
    socket.once('data', (chunk: Buffer) => {
      resolve(Number(chunk.toString('latin1').split(' ')[1]));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}
