import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from './scripted-ftp-server.js';

const servers: ScriptedFtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('an FTP upload the server says is complete before it started', () => {
  for (const verb of ['STOR', 'APPE'] as const) {
    it(`(${verb} answered 226 without 150) fails: the body never went out`, async () => {
      const server = await startScriptedFtpServer({
        [verb]: (control) => control.write('226 Transfer complete\r\n'),
      });
      servers.push(server);
      await using client = createClient(ftp(server.url), { retries: 0 });
      const sent = verb === 'STOR' ? client.put('/a.txt', 'hello') : client.post('/a.txt', 'hello');
      const failure = await sent.then(
        (response) => `answered ${response.status}`,
        (error: unknown) => (error instanceof ParleyError ? `${error.status}: ${error.message}` : String(error)),
      );
      expect(failure).toBe(
        `unavailable: The FTP server answered ${verb} with 226 before the upload started: nothing was sent`,
      );
    });
  }
});
