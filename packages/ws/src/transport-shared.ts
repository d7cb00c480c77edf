import { ParleyError } from '@parley/core';
import {
  type ListenContext,
  type Listener,
  parseTransportUrl,
  publicUrl,
  type Transport,
} from '@parley/core/transport';
import { WsConnector } from './client/connector.js';
import type { OpenSocket } from './client/socket.js';
import { tracedOpener } from './client/trace-socket.js';
import { WS_CONTRACT } from './contract.js';
import { FRAME_HEAD_BYTES } from './wire/frame.js';

/** The parts of a transport that differ between Node.js and browsers. */
export interface WsPlatform {
  /** Opens client connections. */
  opener(url: URL): OpenSocket;
  /** Starts the server side. */
  listen(url: URL, context: ListenContext): Promise<Listener>;
  /** The largest frame, in bytes. */
  readonly maxPayload: number;
}

/** Checks a `ws://` or `wss://` URL and makes the transport from the platform's parts. */
export function wsTransport(url: string, platform: WsPlatform): Transport {
  const parsed = parseTransportUrl(url, ['ws', 'wss'], 'ws()');
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new ParleyError(
      'bad_request',
      `A ws() URL names an endpoint only; drop "${parsed.search}${parsed.hash}"`,
    );
  }
  // The event frame's head: 5 bytes, a 4-byte length and JSON of the path and headers.
  const maxEventBytes = platform.maxPayload - FRAME_HEAD_BYTES - 4 - 4096;
  return {
    contract: WS_CONTRACT,
    url: publicUrl(parsed),
    connect: (context) => {
      const open = platform.opener(parsed);
      const trace = context?.trace;
      return new WsConnector(
        trace === undefined ? open : tracedOpener(open, trace, parsed.host),
        maxEventBytes,
      );
    },
    listen: (context) => platform.listen(parsed, context),
  };
}
