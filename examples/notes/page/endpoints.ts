import type { Transport } from '@parley/core';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { byId } from './dom.js';

/** The transports the form offers. */
export type TransportChoice = 'http' | 'ws' | 'mqtt';

/** What the service embedded in the page (see `PageEndpoints` in src/page.ts). */
interface PageEndpoints {
  readonly wsPath: string;
  readonly mqttWs?: { readonly port: number; readonly prefix: string };
}

const endpoints = JSON.parse(byId('endpoints').textContent ?? '{}') as PageEndpoints;

/** The service's WebSocket endpoint, on the page's own host and port. */
export function wsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${endpoints.wsPath}`;
}

/** The embedded broker's MQTT-over-WebSocket URL with the service prefix, if it has one. */
export function mqttWsUrl(): string | undefined {
  const broker = endpoints.mqttWs;
  if (broker === undefined) return undefined;
  return `ws://${location.hostname}:${broker.port}/${broker.prefix}`;
}

/** A fresh transport of the chosen kind, to the service that served the page. */
export function transportFor(choice: TransportChoice): Transport {
  if (choice === 'http') return http(location.origin);
  if (choice === 'ws') return ws(wsUrl());
  const url = mqttWsUrl();
  if (url === undefined) throw new Error('This service runs no MQTT broker WebSocket');
  return mqtt(url);
}
