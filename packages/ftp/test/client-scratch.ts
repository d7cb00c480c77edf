import { createClient, createServer } from '@parley/core';
import { ftp } from '@parley/ftp';
import { createKitService } from '../../core/src/conformance/service.js';

const t0 = Date.now();
const log = (m: string) => console.log(Date.now() - t0, m);
const service = createKitService();
const server = createServer(service.router);
const listener = await server.listen(ftp('ftp://127.0.0.1:0'));
const client = createClient(ftp(listener.url, { client: { poolSize: Number(process.argv[3] ?? 4) } }), {
  retries: 0,
  timeoutMs: 5000,
});
const mode = process.argv[2];
if (mode === 'cut') {
  const stuck = client.request('GET', '/slow/20000', { body: '' }).then(
    (r) => `response ${r.status}`,
    (e) => `error ${e.status} ${e.message}`,
  );
  while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
  log('in flight; closing');
  await server.close({ timeoutMs: 200 });
  log('closed');
  log(await stuck);
} else {
  const warm = await client.request('GET', '/status/ok', { body: '' });
  await warm.body.cancel();
  log('warm');
  const inFlight = client.request('GET', '/slow/400', { body: '' });
  while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
  log('in flight; closing');
  const closing = server.close({ timeoutMs: 5000 });
  const response = await inFlight;
  log(`response ${response.status}`);
  await response.body.cancel();
  log('cancelled body');
  await closing;
  log('closed');
  const late = await client.request('GET', '/status/ok', { body: '', timeoutMs: 1500 }).then(
    (r) => `late response ${r.status}`,
    (e) => `late error ${e.status} ${e.message}`,
  );
  log(late);
}
await client.close();
log('client closed');
