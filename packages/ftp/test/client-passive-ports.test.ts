import { createServer, type Server } from 'node:net';
import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';
import { epsvPort, pasvPort } from '../src/client/passive-reply.js';

const servers: ScriptedFtpServer[] = [];
const listeners: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const listener of listeners.splice(0)) listener.close();
});

/** A port that serves `bytes` to whoever connects: what a wrapped port number would reach. */
async function portServing(bytes: string): Promise<number> {
  const listener = createServer((socket) => {
    socket.on('error', () => {});
    socket.end(bytes);
  });
  listeners.push(listener);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('an FTP client and passive replies naming a port out of range', () => {
  it('fails the download instead of connecting to the port a PASV reply of bytes over 255 wraps to', async () => {
    const port = await portServing('bytes from a port the server never named');
    const server = await startScriptedFtpServer({
      EPSV: (control) => control.write('229 passive (|||70000|)\r\n'),
      // (256 + high) & 255 is `high`: masked, the reply would name `port`.
      PASV: (control) => control.write(`227 passive (127,0,0,1,${256 + (port >> 8)},${port & 255})\r\n`),
      RETR: (control) => control.write('150 sending\r\n226 done\r\n'),
    });
    servers.push(server);
    await using client = createClient(ftp(server.url), { retries: 0 });
    const outcome = await client.get('/file.txt').then(
      async (response) => `answered: ${await response.body.text()}`,
      (error: unknown) => ParleyError.from(error).message,
    );
    expect(outcome).toMatch(/PASV reply names no valid data port/);
  });

  it('reads the ports of well-formed replies and refuses 0 and ports past 65535', () => {
    expect(epsvPort('229 Entering Extended Passive Mode (|||6446|)')).toBe(6446);
    expect(epsvPort('229 Entering Extended Passive Mode (!!!6446!)')).toBe(6446);
    expect(pasvPort('227 Entering Passive Mode (192,168,1,100,10,229)')).toBe(10 * 256 + 229);
    expect(pasvPort('227 =127,0,0,1,4,1')).toBe(1025);
    expect(() => epsvPort('229 (|||0|)')).toThrow(/no valid data port/);
    expect(() => epsvPort('229 (|||70000|)')).toThrow(/no valid data port/);
    expect(() => epsvPort('229 (|||-1|)')).toThrow(/no valid data port/);
    expect(() => pasvPort('227 (127,0,0,1,0,0)')).toThrow(/no valid data port/);
    expect(() => pasvPort('227 (127,0,0,1,-1,20)')).toThrow(/no valid data port/);
  });
});
