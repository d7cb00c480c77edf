import { afterAll, beforeAll } from 'vitest';
import { type Client, createClient } from '../client.js';
import type { Method } from '../method.js';
import { type CreateServerOptions, createServer, type Server } from '../server.js';
import type { Transport } from '../transport.js';
import type { ConformanceTarget } from './index.js';
import { createKitService, type KitService } from './service.js';

/** What each part of the suite reaches: the target, its contract, a served service and a client. */
export interface KitContext {
  /** The transport under test. */
  readonly target: ConformanceTarget;
  /** The running service (valid inside tests). */
  readonly service: KitService;
  /** A client connected to it (valid inside tests). */
  readonly client: Client;
  /** The listener's URL (valid inside tests). */
  readonly url: string;
  /** Whether the transport carries a method. */
  carries(method: Method): boolean;
  /** The method to send probes with: `GET` when carried, else `POST`. */
  readonly probe: 'GET' | 'POST';
  /** Starts one more server on a fresh transport (or on `transport`), closed after the suite. */
  startServer(options?: CreateServerOptions, transport?: Transport): Promise<StartedServer>;
}

/** A server the kit started on a fresh transport. */
export interface StartedServer {
  /** The server. */
  readonly server: Server;
  /** Its listener's URL. */
  readonly url: string;
  /** The service it serves. */
  readonly service: KitService;
}

/** Starts the shared server and client for a suite and returns the context every part uses. */
export function useKit(target: ConformanceTarget): KitContext {
  const contract = target.server().contract;
  const servers: Server[] = [];
  const clients: Client[] = [];
  let shared: { service: KitService; client: Client; url: string } | undefined;

  const startServer: KitContext['startServer'] = async (options, transport) => {
    const service = createKitService();
    const server = createServer(service.router, options);
    servers.push(server);
    const listener = await server.listen(transport ?? target.server());
    return { server, url: listener.url, service };
  };

  beforeAll(async () => {
    const { service, url } = await startServer();
    const client = createClient(target.client(url), { retries: 0 });
    clients.push(client);
    shared = { service, client, url };
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.close({ timeoutMs: 2000 })));
  });

  const ready = (): NonNullable<typeof shared> => {
    if (shared === undefined) throw new Error('The conformance server is not running');
    return shared;
  };
  return {
    target,
    get service() {
      return ready().service;
    },
    get client() {
      return ready().client;
    },
    get url() {
      return ready().url;
    },
    carries: (method) => contract.methods.includes(method),
    probe: contract.methods.includes('GET') ? 'GET' : 'POST',
    startServer,
  };
}
