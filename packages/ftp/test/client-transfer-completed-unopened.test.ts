import { type Client, createClient, ParleyError, type Response } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';

const servers: ScriptedFtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Each transfer command, and the call that sends it. */
const CALLS: Record<string, (client: Client) => Promise<Response>> = {
  STOR: (client) => client.put('/a.txt', 'hello'),
  APPE: (client) => client.post('/a.txt', 'hello'),
  RETR: (client) => client.get('/a.txt'),
  MLSD: (client) => client.list('/folder/'),
};

describe('an FTP transfer the server says is complete before it opened it', () => {
  for (const [verb, call] of Object.entries(CALLS)) {
    it(`(${verb} answered 226 without 150) fails at once: nothing moved`, async () => {
      const server = await startScriptedFtpServer({
        FEAT: (control) => control.write('211-features\r\n EPSV\r\n MLST type*;size*;\r\n211 end\r\n'),
        [verb]: (control) => control.write('226 Transfer complete\r\n'),
      });
      servers.push(server);
      await using client = createClient(ftp(server.url), { retries: 0 });
      const outcome = await call(client).then(
        async (response) => `answered ${response.status}: ${await response.body.text()}`,
        (error: unknown) =>
          error instanceof ParleyError ? `${error.status}: ${error.message}` : String(error),
      );
      expect(outcome).toBe(
        `unavailable: The FTP server answered ${verb} with 226 before opening the transfer: nothing moved`,
      );
    });
  }
});
