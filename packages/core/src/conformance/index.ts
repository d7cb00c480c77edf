/**
 * The conformance kit: one vitest suite that any transport runs against itself. It tests
 * exactly what the transport's contract declares and checks that the client refuses the rest.
 *
 * @example
 * ```ts
 * import { describeConformance } from '@parley/core/conformance';
 * describeConformance({
 *   name: 'http',
 *   server: () => http('http://127.0.0.1:0'),
 *   client: (url) => http(url),
 * });
 * ```
 *
 * @packageDocumentation
 * @module @parley/core/conformance
 */

import { describe } from 'vitest';
import { NODE_PLATFORM } from '../node-platform.js';
import { usePlatform } from '../platform.js';
import type { Transport } from '../transport.js';
import { describeAuth } from './auth.js';
import { describeBodies } from './bodies.js';
import { describeContract } from './contract.js';
import type { KitCredentials } from './credentials-url.js';
import { describeHostilePeers } from './hostile.js';
import { describeLifecycle } from './lifecycle.js';
import { describeMethods } from './methods.js';
import { describeMoves } from './moves.js';
import { type KitContext, type StartedServer, useKit } from './setup.js';

usePlatform(NODE_PLATFORM);

export { type KitCredentials, urlWithCredentials } from './credentials-url.js';
export { createKitService, type KitService, type Seen } from './service.js';
export { allByteValues, digestStream, patternStream, type StreamDigest } from './streams.js';

/** A transport under test. */
export interface ConformanceTarget {
  /** The name shown in test titles. */
  readonly name: string;
  /** A transport for a server to listen on; a fresh one (port 0) for each server the kit starts. */
  server(): Transport;
  /**
   * A transport for a client to reach a listener at `url`, authenticating with `credentials`
   * when given.
   */
  client(url: string, credentials?: KitCredentials): Transport;
  /** The size of the large streamed body, in bytes. Default: 8 MiB. */
  readonly largeBodyBytes?: number | undefined;
  /** How long a call may take in the timeout tests before it must fail, in ms. Default: 300. */
  readonly shortTimeoutMs?: number | undefined;
  /**
   * A transport for a server that refuses bodies over `maxBodyBytes`; the oversize test runs
   * only when given.
   */
  limitedServer?(maxBodyBytes: number): Transport;
  /**
   * Whether clients connect to the listener's own port (false for brokered protocols such as
   * MQTT, where the broker takes the connections). Default: true when the URL has a port.
   */
  readonly acceptsConnections?: boolean | undefined;
  /**
   * Whether the listener checks credentials with the server's `authenticate` hook; false when
   * a third party (an external MQTT broker) does. Default: true.
   */
  readonly auth?: boolean | undefined;
}

export type { KitContext, StartedServer };

/**
 * Defines the whole conformance suite for a transport, inside a `describe` block.
 *
 * @param target - the transport under test: how to make its server and client transports
 *
 * @example
 * ```ts
 * describeConformance({
 *   name: 'http',
 *   server: () => http('http://127.0.0.1:0'),
 *   limitedServer: (maxBodyBytes) => http('http://127.0.0.1:0', { maxBodyBytes }),
 *   client: (url, credentials) => http(urlWithCredentials(url, credentials)),
 * });
 * ```
 */
export function describeConformance(target: ConformanceTarget): void {
  describe(`conformance: ${target.name}`, () => {
    const kit = useKit(target);
    describeContract(kit);
    describeMethods(kit);
    describeMoves(kit);
    describeBodies(kit);
    describeLifecycle(kit);
    if (target.auth !== false) describeAuth(kit);
    describeHostilePeers(kit);
  });
}
