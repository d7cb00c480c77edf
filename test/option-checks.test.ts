import { createClient, createServer, memory, ParleyError, respond } from '@parley/core';
import { checkNumber } from '@parley/core/transport';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt, startBroker } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, describe, expect, it } from 'vitest';

/** The bad_request message of what `run` throws or rejects with, or `undefined` when it passes. */
async function refusal(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (error instanceof ParleyError && error.status === 'bad_request') return error.message;
    throw error;
  }
}

describe('a numeric option that would quietly break a limit is refused, naming it', () => {
  const server = createServer(async () => respond('ok'));
  afterAll(() => server.close());

  it.each([
    [
      'http()',
      () => http('http://127.0.0.1:0', { maxBodyBytes: Number.NaN }),
      'HTTP option maxBodyBytes must be a number of 0 or more, not NaN',
    ],
    [
      'http()',
      () => http('http://127.0.0.1:0', { maxConnections: -1 }),
      'HTTP option maxConnections must be a whole number of 1 or more, not -1',
    ],
    [
      'http()',
      () => http('http://127.0.0.1:0', { headersTimeoutMs: '5s' as never }),
      'HTTP option headersTimeoutMs must be a number of 0 or more, not "5s"',
    ],
    [
      'http()',
      () => http('http://127.0.0.1:0', { maxRedirects: 1.5 }),
      'HTTP option maxRedirects must be a whole number of 0 or more, not 1.5',
    ],
    [
      'ws()',
      () => ws('ws://127.0.0.1:0/parley', { maxInFlight: 0 }),
      'WebSocket option maxInFlight must be a whole number of 1 or more, not 0',
    ],
    [
      'ws()',
      () => ws('ws://127.0.0.1:0/parley', { maxBodyBytes: Number.NaN }),
      'WebSocket option maxBodyBytes must be a number of 0 or more, not NaN',
    ],
    [
      'mqtt()',
      () => mqtt('mqtt://127.0.0.1:1883/notes', { maxBodyBytes: -5 }),
      'MQTT option maxBodyBytes must be a number of 0 or more, not -5',
    ],
    [
      'startBroker()',
      () => startBroker({ port: 0, maxConnectionsPerAddress: Number.NaN }),
      'startBroker option maxConnectionsPerAddress must be a whole number of 1 or more, not NaN',
    ],
    [
      'ftp() listen',
      () => server.listen(ftp('ftp://127.0.0.1:0', { server: { maxBodyBytes: Number.NaN } })),
      'FTP server option maxBodyBytes must be a number of 0 or more, not NaN',
    ],
    [
      'ftp() connect',
      () => ftp('ftp://127.0.0.1:21', { client: { poolSize: 0 } }).connect(),
      'FTP client option poolSize must be a whole number of 1 or more, not 0',
    ],
    [
      'smtp() listen',
      () => server.listen(smtp('smtp://127.0.0.1:0', { maxBodyBytes: Number.POSITIVE_INFINITY })),
      'SMTP option maxBodyBytes must be a number of 0 or more, not Infinity',
    ],
    [
      'createClient()',
      () => createClient(memory(), { timeoutMs: Number.NaN }),
      'createClient option timeoutMs must be a number of 0 or more, not NaN',
    ],
    [
      'createClient()',
      () => createClient(memory(), { retries: -1 }),
      'createClient option retries must be a whole number of 0 or more, not -1',
    ],
    [
      'a call',
      () => createClient(memory()).get('/a', { timeoutMs: -1 }),
      'A call option timeoutMs must be a number of 0 or more, not -1',
    ],
  ])('%s', async (_, run, message) => {
    expect(await refusal(run)).toBe(message);
  });

  it('takes Infinity where it means no limit, and every default', async () => {
    expect(
      await refusal(() => http('http://127.0.0.1:0', { maxConnectionsPerAddress: Number.POSITIVE_INFINITY })),
    ).toBeUndefined();
    expect(
      await refusal(() => ws('ws://127.0.0.1:0/parley', { maxBodyBytes: Number.POSITIVE_INFINITY })),
    ).toBeUndefined();
    expect(
      await refusal(() => createClient(memory(), { timeoutMs: Number.POSITIVE_INFINITY })),
    ).toBeUndefined();
    expect(await refusal(() => http('http://127.0.0.1:0'))).toBeUndefined();
    expect(checkNumber('X', 'n', 0, 'whole')).toBe(0);
    expect(() => checkNumber('X', 'n', Number.POSITIVE_INFINITY, 'amount', true)).toThrow(/not Infinity/);
  });
});
