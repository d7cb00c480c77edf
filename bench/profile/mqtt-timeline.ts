// The timeline of MQTT round trips at 1 in flight, in the process that runs the client and the
// server, on a mosquitto of its own: for each call, when the caller starts it (M), when MQTT.js
// is handed a PUBLISH (P) or another packet (A, the PUBACKs), when a socket write is issued (w,
// with the socket's number and bytes) and when it returns (d), and when a socket read delivers
// bytes (r). Calls are grouped by the sequence they went through; for the most common sequences
// it prints the median and mean µs of each step. Socket 1 is the client's, 2 the server's.
// Run: node --import tsx bench/profile/mqtt-timeline.ts <parley|hand> [warm-up=4000] [calls=4000]
import net from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MqttClient, type Packet } from 'mqtt';
import { bundle } from '../lib/bundle.js';
import { startMosquitto } from '../mqtt/brokers.js';

const [kind = 'parley', warmup = '4000', counted = '4000'] = process.argv.slice(2);
const CALLS = Number(counted);
const MAX_EVENTS = CALLS * 24;

const contenders = (await import(
  pathToFileURL(
    await bundle(
      fileURLToPath(new URL('../mqtt/contenders.ts', import.meta.url)),
      fileURLToPath(new URL(`.build/contenders-${process.pid}.mjs`, import.meta.url)),
      { external: ['mqtt', 'aedes', 'ws'] },
    ),
  ).href
)) as typeof import('../mqtt/contenders.js');

const broker = await startMosquitto();
const parley = kind === 'parley' ? await contenders.startParley(broker.url) : undefined;
const hand = kind === 'parley' ? undefined : await contenders.startHandWritten(broker.url, 5);
const call = (): Promise<unknown> => (parley ? parley.call() : (hand as { call(): Promise<unknown> }).call());
for (let i = 0; i < Number(warmup); i++) await call();

const times = new Float64Array(MAX_EVENTS);
const labels: string[] = [];
let recording = false;
/** Sockets numbered as first seen: the client's request is the first write (1), the server's read next (2). */
const sockets = new WeakMap<object, number>();
let nextSocket = 1;
const socketNumber = (socket: object): number => {
  const number = sockets.get(socket) ?? nextSocket++;
  sockets.set(socket, number);
  return number;
};
const mark = (label: string): void => {
  if (!recording || labels.length >= MAX_EVENTS) return;
  times[labels.length] = performance.now();
  labels.push(label);
};

const socket = net.Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const { push, _writev: writev, _write: write } = socket as Required<typeof socket>;
socket.push = function (this: object, chunk: unknown, ...rest: unknown[]) {
  if (chunk != null) mark(`r${socketNumber(this)}:${(chunk as Buffer).length}`);
  return push?.call(this, chunk, ...rest);
};
socket._writev = function (this: object, chunks: unknown, done: unknown) {
  const bytes = (chunks as { chunk: Buffer }[]).reduce((sum, { chunk }) => sum + chunk.length, 0);
  mark(`w${socketNumber(this)}:${bytes}`);
  const result = writev?.call(this, chunks, done);
  mark('d');
  return result;
};
socket._write = function (this: object, chunk: unknown, encoding: unknown, done: unknown) {
  mark(`w${socketNumber(this)}:${(chunk as Buffer).length}`);
  const result = write?.call(this, chunk, encoding, done);
  mark('d');
  return result;
};
const client = MqttClient.prototype as unknown as Record<string, (packet: Packet, done?: unknown) => void>;
const writePacket = client._writePacket as (packet: Packet, done?: unknown) => void;
client._writePacket = function (this: MqttClient, packet: Packet, done?: unknown) {
  mark(packet.cmd === 'publish' ? 'P' : 'A');
  writePacket.call(this, packet, done);
};

recording = true;
const starts: number[] = [];
for (let i = 0; i < CALLS; i++) {
  starts.push(labels.length);
  mark('M');
  await call();
}
recording = false;

/** Steps of the calls that went through one sequence of events. */
const bySequence = new Map<string, number[][]>();
for (let i = 0; i < starts.length - 1; i++) {
  const from = starts[i] as number;
  const to = (starts[i + 1] as number) + 1;
  const sequence = labels.slice(from, to).join(' ');
  const steps: number[] = [];
  for (let e = from + 1; e < to; e++) steps.push(((times[e] as number) - (times[e - 1] as number)) * 1000);
  const calls = bySequence.get(sequence) ?? [];
  calls.push(steps);
  bySequence.set(sequence, calls);
}
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
console.log(
  `${kind}: ${CALLS} calls after ${warmup}; median/mean µs of each step of the commonest sequences`,
);
for (const [sequence, calls] of [...bySequence].sort((a, b) => b[1].length - a[1].length).slice(0, 4)) {
  const events = sequence.split(' ');
  const steps = events
    .slice(1)
    .map((event, s) => {
      const values = calls.map((steps) => steps[s] as number);
      return `${events[s]}→${event} ${median(values).toFixed(0)}/${mean(values).toFixed(0)}`;
    })
    .join(', ');
  console.log(`${String(calls.length).padStart(6)}x  ${steps}`);
}
await (parley ?? (hand as { close(): Promise<void> })).close();
await broker.stop();
