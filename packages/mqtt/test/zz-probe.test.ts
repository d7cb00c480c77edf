import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { it } from 'vitest';
import { startMosquitto } from '../../../test/support/mosquitto.js';

it('probe', async () => {
  const broker = await startMosquitto();
  let n = 0;
  const server = createServer(
    createRouter().get('/a', async (r) => {
      n++;
      return respond('ok', JSON.stringify(r.headers.toObject()));
    }),
  );
  await server.listen(mqtt(`${broker.url}/p`));
  const client = createClient(mqtt(`${broker.url}/p`), { timeoutMs: 3000, retries: 0 });
  for (const v of ['é', 'a\tb', 'plain', 'plain2']) {
    const t = Date.now();
    try {
      const r = await client.get('/a', { headers: { 'x-v': v } });
      console.log(JSON.stringify(v), r.status, await r.body.text(), Date.now() - t);
    } catch (e) {
      console.log(
        JSON.stringify(v),
        'ERR',
        ParleyError.from(e).status,
        ParleyError.from(e).message,
        Date.now() - t,
      );
    }
  }
  console.log('served', n);
  await client.close();
  await server.close();
  await broker.stop();
}, 60000);
