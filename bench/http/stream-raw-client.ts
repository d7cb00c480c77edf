/**
 * The reference of the streaming benchmark: `stream-raw-client.ts <port> <bytes>` makes the same
 * transfers as `stream-client.ts` with raw `undici.request`, no Parley: uploads `bytes` generated
 * bytes to `PUT /sink` (the same reused chunk), then downloads as many from `GET /source`, without
 * keeping them. Prints `{"peakRssMb": n, "uploaded": n, "downloaded": n}`: what Node and undici
 * alone cost for the same transfers.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { generated, peakRssMb } from './peak-rss.js';

const [port, size] = process.argv.slice(2).map(Number) as [number, number];
const origin = `http://127.0.0.1:${port}`;
const put = await request(`${origin}/sink`, {
  method: 'PUT',
  headers: { 'content-length': String(size) },
  body: Readable.from(generated(size), { objectMode: false }),
});
const uploaded = Number(await put.body.text());
const response = await request(`${origin}/source/${size}`);
let downloaded = 0;
for await (const chunk of response.body) downloaded += (chunk as Buffer).byteLength;
process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb(), uploaded, downloaded })}\n`);
