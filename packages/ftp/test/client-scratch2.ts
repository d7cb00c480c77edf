import { Writable } from 'node:stream';
import { createServer } from '@parley/core';
import { ftp } from '@parley/ftp';
import { Client } from 'basic-ftp';
import { createKitService } from '../../core/src/conformance/service.js';

const t0 = Date.now();
const log = (m: string) => console.log(Date.now() - t0, m);
const service = createKitService();
const server = createServer(service.router);
const listener = await server.listen(ftp('ftp://127.0.0.1:0'));
const port = Number(new URL(listener.url).port);
const c = new Client(60000);
await c.access({ host: '127.0.0.1', port, user: 'anonymous', password: 'x' });
if (process.argv[2] === 'transfer') {
  await c.downloadTo(
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
    '/status/ok',
  );
  log('downloaded');
}
c.ftp.socket.on('close', () => log('client control socket closed'));
c.ftp.socket.on('data', (d) => log(`client got ${String(d).trim()}`));
const sink = new Writable({
  write(_c, _e, cb) {
    cb();
  },
});
const slow = c.downloadTo(sink, '/slow/400').then(
  () => log('slow done'),
  (e) => log(`slow failed ${e.message}`),
);
while (server.inFlight === 0) await new Promise((r) => setTimeout(r, 10));
log('closing');
const closing = server.close({ timeoutMs: 5000 });
await slow;
await closing;
log('server closed');
c.close();
