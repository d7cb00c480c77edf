/**
 * The reference downloads of the CLI benchmark (no target, they quantify the ceiling): the
 * body of a GET written to a file with writeSync, no Parley in between.
 *
 *   node bench/cli/reference-get.cjs undici|net|reused URL FILE
 *
 * - `undici`: `undici.request` and `for await` over its body, as an application would write it.
 * - `net`: `node:net` and a hand-written request, every `data` chunk written as it arrives and a
 *   young-generation collection every MiB (as the parley command does): the least work Node.js
 *   can do for a body whose socket reads each come in a new buffer. (It writes the response's
 *   head to the file too; it is a few hundred bytes.)
 * - `reused`: the same with `node:net`'s `onread`, every socket read into one reused 1 MiB buffer
 *   and written from it before the next read, as curl does: what Node.js reaches when no chunk
 *   outlives the read that made it (only a synchronous consumer allows that).
 */
'use strict';
const { closeSync, openSync, writeSync } = require('node:fs');

const [mode, url, file] = process.argv.slice(2);
const fd = openSync(file, 'w');

if (mode === 'undici') {
  const { request } = require('undici');
  (async () => {
    const { statusCode, body } = await request(url);
    if (statusCode !== 200) throw new Error(`status ${statusCode}`);
    for await (const chunk of body) writeSync(fd, chunk);
    closeSync(fd);
  })().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else if (mode === 'net' || mode === 'reused') {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  const net = require('node:net');
  const target = new URL(url);
  let since = 0;
  const onread = {
    buffer: Buffer.allocUnsafe(1024 * 1024),
    callback: (bytes, buffer) => {
      writeSync(fd, buffer, 0, bytes);
    },
  };
  const socket = net.connect(
    { port: Number(target.port), host: target.hostname, ...(mode === 'reused' ? { onread } : {}) },
    () =>
      socket.write(`GET ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`),
  );
  socket.on('data', (chunk) => {
    writeSync(fd, chunk);
    since += chunk.byteLength;
    if (since >= 1024 * 1024) {
      since = 0;
      gc({ type: 'minor' });
    }
  });
  socket.on('end', () => closeSync(fd));
  socket.on('error', (error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  throw new Error(`mode undici, net or reused, not ${mode}`);
}
