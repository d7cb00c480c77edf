import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRouter, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { hasPeer, requirePeer } from '../../../test/support/peer.js';
import { serveEach } from './helpers.js';

/** Debian's Python, which has the `websockets` module (the first `python3` on PATH may not). */
const PYTHON = '/usr/bin/python3';
const run = promisify(execFile);
const script = fileURLToPath(new URL('./fixtures/python-client.py', import.meta.url));

const hasWebsockets = requirePeer(
  "Python's websockets module (apt-get install python3-websockets)",
  hasPeer(PYTHON, ['-c', 'import websockets']),
);

const serve = serveEach();

describe.runIf(hasWebsockets)("interop with Python's websockets", () => {
  it('a client Parley did not write PUTs and GETs with frames written by hand', async () => {
    const notes = new Map<string, { text: string; type: string }>();
    const router = createRouter()
      .put('/notes/:name', async (request) => {
        const type = request.headers.get('content-type') ?? 'application/octet-stream';
        notes.set(request.params.name, { text: await request.body.text(), type });
        return respond('created');
      })
      .get('/notes/:name', async (request) => {
        const note = notes.get(request.params.name);
        return note === undefined
          ? respond('not_found', 'no such note')
          : respond('ok', note.text, { 'content-type': note.type });
      });
    const { url } = await serve(router);
    const { stdout } = await run(PYTHON, [script, url], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({
      put: 'created',
      get: 'ok',
      type: 'text/plain',
      body: 'hello from python',
    });
  });
});
