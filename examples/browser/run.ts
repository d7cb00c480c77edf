/**
 * Starts the service and runs the shared client function in Node.js over HTTP, WebSocket and
 * MQTT over WebSocket, then exits (0 when every run read its note back). With `--serve` it
 * keeps running on `PORT` (default: any free port): open the printed URL in a browser to run the
 * same function in the page; Ctrl-C (SIGINT) or SIGTERM closes it gracefully.
 */
import { bundlePage } from './bundle.js';
import { runInNode } from './client.js';
import { start } from './server.js';

const serve = process.argv.includes('--serve');
const example = await start(await bundlePage(), serve ? Number(process.env.PORT ?? 0) : 0);
const results = await runInNode(example.endpoints);
for (const [protocol, result] of Object.entries(results)) console.log(`node ${protocol}: ${result}`);
const expected = Object.values(results).every((result) => result.startsWith('ok: hello from node-'));
if (serve) {
  console.log(`open ${example.pageUrl} in a browser to run the same function in the page`);
  // Graceful shutdown: stop accepting, let requests in flight finish, close the broker, exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`${signal}: finishing requests in flight, then closing`);
      void example.close().then(() => process.exit(0));
    });
  }
} else {
  await example.close();
  process.exit(expected ? 0 : 1);
}
