/**
 * The reference of the streaming benchmark: `stream-raw-client.ts <port> <bytes>` downloads
 * `bytes` from `GET /source` with raw `undici.request`, no Parley, and prints
 * `{"peakRssMb": n, "downloaded": n}`: what Node and undici alone cost for the same download.
 */
import { request } from 'undici';
import { peakRssMb } from './peak-rss.js';

const [port, size] = process.argv.slice(2).map(Number) as [number, number];
const response = await request(`http://127.0.0.1:${port}/source/${size}`);
let downloaded = 0;
for await (const chunk of response.body) downloaded += (chunk as Buffer).byteLength;
process.stdout.write(`${JSON.stringify({ peakRssMb: peakRssMb(), downloaded })}\n`);
