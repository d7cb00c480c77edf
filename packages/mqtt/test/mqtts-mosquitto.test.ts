import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { selfSignedCertificate } from '../../../test/support/tls.js';

const enabled = requireMosquitto();

describe.runIf(enabled)('mqtts:// against mosquitto with a self-signed certificate', () => {
  const certificate = selfSignedCertificate();
  const dir = mkdtempSync(join(tmpdir(), 'parley-mqtts-'));
  let broker: Mosquitto;
  let base: string;
  const notes = new Map<string, string>();
  const server = createServer(
    createRouter()
      .put('/notes/:name', async (request) => {
        notes.set(request.params.name, await request.body.text());
        return respond('created');
      })
      .get('/notes/:name', async (request) => respond('ok', notes.get(request.params.name) ?? '')),
  );

  beforeAll(async () => {
    // mosquitto reads the files after dropping root.
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'cert.pem'), certificate.cert, { mode: 0o644 });
    writeFileSync(join(dir, 'key.pem'), certificate.key, { mode: 0o644 });
    broker = await startMosquitto([`certfile ${join(dir, 'cert.pem')}`, `keyfile ${join(dir, 'key.pem')}`]);
    base = `mqtts://127.0.0.1:${broker.port}/secure`;
    await server.listen(mqtt(base, { tls: { ca: certificate.cert } }));
  }, 60_000);
  afterAll(async () => {
    await server.close({ timeoutMs: 1_000 });
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries requests and replies over TLS, server and client trusting the certificate', async () => {
    await using client = createClient(mqtt(base, { tls: { ca: certificate.cert } }));
    expect((await client.put('/notes/t.txt', 'over tls')).status).toBe('created');
    expect(await (await client.get('/notes/t.txt')).body.text()).toBe('over tls');
  });

  it('refuses the unknown certificate of a client that does not trust it, with a readable error', async () => {
    await using client = createClient(mqtt(base), { retries: 0, timeoutMs: 20_000 });
    await expect(client.get('/notes/t.txt')).rejects.toThrow(/certificate/i);
  });

  it('refuses a plain mqtt:// connection to the TLS port without hanging', async () => {
    await using client = createClient(mqtt(base.replace('mqtts:', 'mqtt:')), {
      retries: 0,
      timeoutMs: 20_000,
    });
    await expect(client.get('/notes/t.txt')).rejects.toThrow();
  });
});
