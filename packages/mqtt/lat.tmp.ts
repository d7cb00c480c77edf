import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from './src/index.js';

const broker = await startBroker({ port: 0 });
for (const base of [broker.url, 'mqtt://127.0.0.1:18830']) {
  const router = createRouter().get('/x', async () => respond('ok', 'hi'));
  const server = createServer(router);
  await server.listen(mqtt(`${base}/lat`));
  const client = createClient(mqtt(`${base}/lat`), { retries: 0 });
  await client.get('/x');
  const t = performance.now();
  const n = 50;
  for (let i = 0; i < n; i++) await (await client.get('/x')).body.text();
  console.log(base, ((performance.now() - t) / n).toFixed(2), 'ms/req');
  await client.close();
  await server.close();
}
await broker.close();
