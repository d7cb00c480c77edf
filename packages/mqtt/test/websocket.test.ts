import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../test/support/browser-bundle.js';
import { nodeOnlyUses, runtimeGraph } from '../../../test/support/module-graph.js';
import { mqtt as browserMqtt } from '../src/browser.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, unknown>>;
};

describe('MQTT over WebSocket', () => {
  it('a client on ws:// reaches a server on the embedded broker over its WebSocket port', async () => {
    const broker = await startBroker({ port: 0, wsPort: 0 });
    const notes = new Map<string, string>();
    const router = createRouter()
      .put('/notes/:name', async (req) => {
        notes.set(req.path, await req.body.text());
        return respond('created');
      })
      .get('/notes/:name', async (req) => {
        const text = notes.get(req.path);
        return text === undefined ? respond('not_found') : respond('ok', text);
      });
    const server = createServer(router);
    try {
      // The server over TCP, the client over WebSocket: one broker, two ways in.
      await server.listen(mqtt(`${broker.url}/notes-ws`));
      expect(broker.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      await using client = createClient(mqtt(`${broker.wsUrl}/notes-ws`), { retries: 0 });
      expect((await client.put('/notes/hello.txt', 'hi over ws')).status).toBe('created');
      const res = await client.get('/notes/hello.txt');
      expect(res.status).toBe('ok');
      expect(await res.body.text()).toBe('hi over ws');
      expect((await client.get('/notes/missing.txt')).status).toBe('not_found');
    } finally {
      await server.close({ timeoutMs: 2000 });
      await broker.close();
    }
  });

  it('takes ws:// and wss:// URLs, with their default ports, and the prefix from the path', () => {
    expect(mqtt('ws://broker.example/svc').url).toBe('ws://broker.example/svc');
    expect(mqtt('wss://alice:secret@broker.example:8443/a/b').url).toBe('wss://broker.example:8443/a/b');
    expect(() => mqtt('http://broker.example/svc')).toThrow(/mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\//);
  });
});

describe('the browser entry of @parley/mqtt', () => {
  it('is the `browser` condition of the package, listed first', () => {
    expect(Object.keys(manifest.exports['.'] ?? {})[0]).toBe('browser');
  });

  it('reaches no broker, no ws and no node: module, and uses no Buffer', () => {
    const graph = runtimeGraph(`${src}browser.ts`, { workspace: true });
    expect(nodeOnlyUses(graph, ['mqtt'])).toEqual([]);
    const files = [...graph.keys()];
    expect(
      files.filter((file) => file.startsWith(`${src}broker/`) || file.startsWith(`${src}server/`)),
    ).toEqual([]);
    expect(graph.has(`${src}client/connector.ts`)).toBe(true);
  });

  it('takes only ws:// and wss:// and refuses to listen', async () => {
    expect(() => browserMqtt('mqtt://127.0.0.1:1883/svc')).toThrow(/ws:\/\/ or wss:\/\//);
    const transport = browserMqtt('ws://127.0.0.1:9001/svc');
    await expect(transport.listen({} as never)).rejects.toMatchObject({ status: 'unsupported' });
  });

  it("bundles for the browser platform with MQTT.js's browser build", async () => {
    const code = await bundleForBrowser("export { mqtt } from '@parley/mqtt';", { resolveDir: src });
    expect(code).not.toMatch(/from\s*"node:|aedes/);
  });
});
