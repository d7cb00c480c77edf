import { parseTarget } from '@parley/cli';
import { createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

/** Runs the command in this process with captured output. */
const run = (...argv: string[]) => runInProcess(argv);

/**
 * A URL's query goes to the server over every protocol that carries one (HTTP, WebSocket,
 * MQTT); over FTP and SMTP, which carry none, it is refused rather than dropped.
 */
describe('parley and the query of a URL', () => {
  const seen: string[] = [];
  const server = createServer(
    createRouter().get('/notes/:name', async (request) => {
      seen.push(`${request.path}?${request.query}`);
      return respond('ok', 'hi');
    }),
  );
  const urls: Record<string, string> = {};
  let closeBroker = async (): Promise<void> => {};
  beforeAll(async () => {
    const broker = await startBroker({ port: 0 });
    closeBroker = () => broker.close();
    urls.ws = (await server.listen(ws('ws://127.0.0.1:0/parley'))).url;
    await server.listen(mqtt(`${broker.url}/svc`));
    urls.mqtt = `${broker.url}/svc`;
  });
  afterAll(async () => {
    await server.close({ timeoutMs: 1_000 });
    await closeBroker();
  });

  it.each(['ws', 'mqtt'])('over %s, reaches the handler', async (scheme) => {
    seen.length = 0;
    expect((await run(`${urls[scheme]}/notes/a.txt?x=1&y=a%20b`)).code).toBe(0);
    expect(seen).toEqual(['/notes/a.txt?x=1&y=a+b']);
  });

  it.each(['ftp', 'smtp'])('over %s, is refused with exit 3 before connecting', async (scheme) => {
    // Port 1: nothing listens there.
    const result = await run(`${scheme}://127.0.0.1:1/notes/a.txt?x=1`);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`parley: ${scheme} URLs carry no query; drop "?x=1"\n`);
  });

  it('parseTarget keeps the query of the schemes that carry one', () => {
    expect(parseTarget('wss://h/parley/notes/a?x=1')).toMatchObject({ path: '/notes/a', query: 'x=1' });
    expect(parseTarget('mqtts://h/svc/notes/a?x=1')).toMatchObject({ path: '/notes/a', query: 'x=1' });
    expect(parseTarget('ftp://h/notes/a?')).toMatchObject({ path: '/notes/a', query: '' });
  });
});
