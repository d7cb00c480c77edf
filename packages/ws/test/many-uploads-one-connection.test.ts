import { createClient, createRouter, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const serve = serveEach();
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};
afterEach(() => {
  process.off('warning', onWarning);
});

describe('a client sending many uploads at once on one connection', () => {
  it('waits for room without a listener per upload (no MaxListenersExceededWarning)', async () => {
    process.on('warning', onWarning);
    const { url } = await serve(
      createRouter().put('/*', async (request) =>
        respond('ok', `${(await request.body.bytes()).byteLength}`),
      ),
    );
    const client = createClient(ws(url));
    try {
      const body = new Uint8Array(4 * 1024 * 1024);
      const answers = await Promise.all(
        Array.from({ length: 16 }, async (_, i) => {
          const response = await client.put(`/upload/${i}`, body);
          return `${response.status} ${await response.body.text()}`;
        }),
      );
      expect(new Set(answers)).toEqual(new Set([`ok ${body.byteLength}`]));
      // A warning is emitted on the next tick at the latest.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
