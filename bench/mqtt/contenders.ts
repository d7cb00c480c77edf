// The two contenders, bundled to plain JavaScript by run.ts (see ../lib/bundle.ts) so that both
// run as they ship: a TypeScript loader's per-function wrappers (`keepNames`) would cost each
// closure a call that the published build does not make.
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';

export { startHandWritten } from './hand-written.js';

/** A contender: one round trip per `call`. */
export interface Contender {
  readonly name: string;
  call(): Promise<unknown>;
  close(): Promise<void>;
}

/** Parley's client and server on the broker at `url`: `GET /echo` answered `ok` with `pong`. */
export async function startParley(url: string): Promise<Contender> {
  const server = createServer(createRouter().get('/echo', async () => respond('ok', 'pong')));
  await server.listen(mqtt(`${url}/bench-parley`));
  const client = createClient(mqtt(`${url}/bench-parley`), { retries: 0 });
  return {
    name: 'parley',
    call: async () => (await client.get('/echo')).body.bytes(),
    close: async () => {
      await client.close();
      await server.close({ timeoutMs: 1000 });
    },
  };
}
