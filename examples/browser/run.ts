/**
 * Starts the service and runs the shared client function in Node.js over HTTP, WebSocket and
 * MQTT over WebSocket, then exits (0 when every run read its note back). With `--serve` it
 * keeps running: open the printed URL in a browser to run the same function in the page.
 */
import { bundlePage } from './bundle.js';
import { runInNode } from './client.js';
import { start } from './server.js';

const example = await start(await bundlePage());
const results = await runInNode(example.endpoints);
for (const [protocol, result] of Object.entries(results)) console.log(`node ${protocol}: ${result}`);
const expected = Object.values(results).every((result) => result.startsWith('ok: hello from node-'));
if (process.argv.includes('--serve')) {
  console.log(`open ${example.pageUrl} in a browser to run the same function in the page`);
} else {
  await example.close();
  process.exit(expected ? 0 : 1);
}
