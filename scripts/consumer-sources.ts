// The programs scripts/check-packages.ts compiles and runs in a fresh project that installed
// Parley's packed tarballs.

/** Type-checked under the strictest settings: uses every package's public types. */
export const CONSUMER_TS = `
import { createClient, createRouter, createServer, ParleyError, respond, type Status } from '@parley/core';
import type { ConformanceTarget } from '@parley/core/conformance';
import { ConnectionGate } from '@parley/core/transport';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';

export async function main(timeoutMs?: number): Promise<Status> {
  const router = createRouter().get('/notes/:name', async (req) => respond('ok', \`note \${req.params.name}\`));
  const server = createServer(router, { middleware: [] });
  const listener = await server.listen(http('http://127.0.0.1:0'));
  const client = createClient(http(listener.url), { timeoutMs });
  try {
    const res = await client.get('/notes/a', { timeoutMs });
    return res.status;
  } catch (error) {
    if (error instanceof ParleyError) return error.status;
    throw error;
  } finally {
    await client.close();
    await server.close({ timeoutMs });
  }
}

export const transports = [ftp('ftp://127.0.0.1:2121'), smtp('smtp://127.0.0.1:2525'), mqtt('mqtt://127.0.0.1:1883/x'), ws('ws://127.0.0.1:8080/parley')];
export const gate = new ConnectionGate({ maxConnections: 1, maxConnectionsPerAddress: 1 });
export type Target = ConformanceTarget;
`;

/** Runs the ESM build: a round trip over HTTP, and a CJS ParleyError seen from ESM. */
export const CONSUMER_ESM = `
import { createRequire } from 'node:module';
import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { http } from '@parley/http';
import '@parley/ftp';
import '@parley/smtp';
import '@parley/mqtt';
import '@parley/ws';

const router = createRouter().get('/hi', async () => respond('ok', 'hi from esm'));
const server = createServer(router);
const listener = await server.listen(http('http://127.0.0.1:0'));
const client = createClient(http(listener.url));
const text = await (await client.get('/hi')).body.text();
await client.close();
await server.close();
const cjs = createRequire(import.meta.url)('@parley/core');
const fromCjs = new cjs.ParleyError('bad_request', 'thrown by CJS code');
if (!(fromCjs instanceof ParleyError)) throw new Error('a CJS ParleyError is not instanceof the ESM class');
if (new Error('x') instanceof ParleyError) throw new Error('a plain Error passed instanceof ParleyError');
console.log(\`esm: \${text}; CJS ParleyError instanceof ESM ParleyError: true\`);
`;

/** Runs the CJS build: a round trip over HTTP. */
export const CONSUMER_CJS = `
const { createClient, createRouter, createServer, respond } = require('@parley/core');
const { http } = require('@parley/http');
require('@parley/ftp');
require('@parley/smtp');
require('@parley/mqtt');
require('@parley/ws');

(async () => {
  const server = createServer(createRouter().get('/hi', async () => respond('ok', 'hi from cjs')));
  const listener = await server.listen(http('http://127.0.0.1:0'));
  const client = createClient(http(listener.url));
  const text = await (await client.get('/hi')).body.text();
  await client.close();
  await server.close();
  console.log(\`cjs: \${text}\`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
