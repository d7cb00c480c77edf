import { execFile } from 'node:child_process';
import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../../../test/support/peer.js';
import { portOf, startTestService, type TestService } from './helpers.js';

const swaks = requirePeer('swaks') ? it : it.skip;

function swaksTo(port: number, to: string, extra: string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile('swaks', ['--server', `127.0.0.1:${port}`, '--to', to, ...extra], { timeout: 20_000 }, (error) =>
      resolve(error === null ? 0 : Number(error.code ?? 1)),
    );
  });
}

describe('the notes service and HTML mail', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.stop());

  swaks('keeps the text of an HTML-only mail instead of an empty note', async () => {
    const port = portOf(service.urls.smtp);
    const html = ['--add-header', 'Content-Type: text/html', '--body', '<p>Hello <b>from HTML</b></p>'];
    const subject = ['--header', 'Subject: from-html.txt'];
    expect(await swaksTo(port, 'notes@localhost', [...subject, ...html])).toBe(0);
    await using client = createClient(http(service.urls.http));
    const note = await client.get('/notes/from-html.txt');
    expect(note.status).toBe('ok');
    expect(await note.body.text()).toBe('Hello from HTML\n');
  });
});
