import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Body, createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { http as nodeHttp } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { nodeOnlyUses, runtimeGraph } from '../../../test/support/module-graph.js';
import { http } from '../src/browser.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, unknown>>;
};

describe('the browser entry of @parley/http', () => {
  it('is the `browser` condition of the package, listed first', () => {
    expect(Object.keys(manifest.exports['.'] ?? {})[0]).toBe('browser');
  });

  it('reaches neither undici nor node: modules, core included, and shares the status map', () => {
    const graph = runtimeGraph(`${src}browser.ts`, { workspace: true });
    expect(nodeOnlyUses(graph)).toEqual([]);
    expect(graph.has(`${src}status-map.ts`)).toBe(true);
    expect(graph.has(`${src}client/connect.ts`)).toBe(false);
  });

  it('refuses to listen with unsupported', async () => {
    const server = createServer(createRouter());
    await expect(server.listen(http('http://127.0.0.1:0'))).rejects.toMatchObject({ status: 'unsupported' });
    await server.close();
  });

  describe('uploads read whole (no request streams)', () => {
    const router = createRouter().put('/echo', async (req) => respond('ok', await req.body.bytes()));

    it('sends a streamed body up to maxBufferedUploadBytes, refuses a larger one with too_large', async () => {
      const server = createServer(router);
      const listener = await server.listen(nodeHttp('http://127.0.0.1:0'));
      await using client = createClient(http(listener.url, { maxBufferedUploadBytes: 1024 }), { retries: 0 });
      const chunks = async function* (count: number) {
        for (let i = 0; i < count; i++) yield new Uint8Array(256).fill(i);
      };
      const echoed = await client.put('/echo', Body.from(chunks(4)));
      expect((await echoed.body.bytes()).byteLength).toBe(1024);
      const refused = await client.put('/echo', Body.from(chunks(5))).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ParleyError);
      expect((refused as ParleyError).status).toBe('too_large');
      const declared = await client.put('/echo', Body.from(chunks(8), 2048)).catch((error: unknown) => error);
      expect((declared as ParleyError).status).toBe('too_large');
      await server.close();
    });
  });
});
