import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRouter, respond } from '@parley/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../test/support/browser-bundle.js';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../../test/support/chromium.js';
import { type Nginx, requireNginx, startNginx } from '../../../test/support/nginx.js';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import { type Served, serve } from './helpers.js';

/** The most the page's client reads whole before sending (`maxBufferedUploadBytes`). */
const BUFFER_LIMIT = 1024 * 1024;
const MiB = 1024 * 1024;

/**
 * The page: `upload(size, { streamUploads, waitForServer })` PUTs `size` bytes from a
 * ReadableStream with Parley's fetch client. With `waitForServer`, the stream holds its second
 * chunk back until the server says it has received the first: only a streamed upload finishes.
 */
const PAGE_SCRIPT = `
import { Body, createClient } from '@parley/core';
import { http } from '@parley/http';

const CHUNK = 64 * 1024;

globalThis.upload = async (size, { streamUploads, waitForServer }) => {
  const client = createClient(http(location.origin, { streamUploads, maxBufferedUploadBytes: ${BUFFER_LIMIT} }));
  let sent = 0;
  const stream = new ReadableStream({
    async pull(controller) {
      if (sent >= size) return controller.close();
      if (waitForServer && sent === CHUNK) {
        while (Number(await (await fetch('/received')).text()) < sent) await new Promise((r) => setTimeout(r, 20));
      }
      const length = Math.min(CHUNK, size - sent);
      controller.enqueue(new Uint8Array(length).fill(7));
      sent += length;
    },
  });
  try {
    const res = await client.put('/upload', Body.from(stream));
    return { status: res.status, text: await res.body.text() };
  } catch (error) {
    return { error: error.status, message: error.message };
  }
};
`;

const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>upload</title><script type="module" src="/page.js"></script>';

const peers = requireChromium() && requireNginx();

describe.runIf(peers)('uploads from the fetch client in headless Chromium', () => {
  const certDir = mkdtempSync(join(tmpdir(), 'parley-browser-upload-'));
  let served: Served;
  let nginx: Nginx;
  let browser: Browser;
  /** Bytes of the current upload the handler has read so far. */
  let received = 0;
  let uploads = 0;

  beforeAll(async () => {
    const script = await bundleForBrowser(PAGE_SCRIPT, {
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    });
    const router = createRouter()
      // A GET of a path ending in `/` is a LIST in Parley's HTTP mapping: the page has a file name.
      .get('/page.html', async () => respond('ok', PAGE_HTML, { 'content-type': 'text/html; charset=utf-8' }))
      .get('/page.js', async () => respond('ok', script, { 'content-type': 'text/javascript' }))
      .get('/received', async () => respond('ok', String(received), { 'cache-control': 'no-store' }))
      .put('/upload', async (request) => {
        uploads++;
        received = 0;
        for await (const chunk of request.body) received += chunk.byteLength;
        return respond('ok', String(received));
      });
    served = await serve(router.handle, { maxBodyBytes: 64 * MiB });
    // Chromium streams request bodies over HTTP/2 only: nginx terminates TLS and HTTP/2 and
    // passes the body through as it comes (`proxy_request_buffering off`).
    const tls = selfSignedCertificate();
    writeFileSync(join(certDir, 'key.pem'), tls.key);
    writeFileSync(join(certDir, 'cert.pem'), tls.cert);
    nginx = await startNginx(
      `
      ssl_certificate ${join(certDir, 'cert.pem')};
      ssl_certificate_key ${join(certDir, 'key.pem')};
      client_max_body_size 0;
      location / {
        proxy_pass http://127.0.0.1:${served.port};
        proxy_http_version 1.1;
        proxy_request_buffering off;
        proxy_buffering off;
      }
    `,
      { listen: 'ssl http2' },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await served?.server.close({ timeoutMs: 500 });
    rmSync(certDir, { recursive: true, force: true });
  });

  async function openPage(origin: string): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/page.html`);
    await page
      .waitForFunction(() => typeof (globalThis as { upload?: unknown }).upload === 'function', undefined, {
        timeout: 15_000,
      })
      .catch((error: unknown) => {
        throw new Error(`The page did not load: ${errors.join('; ') || String(error)}`);
      });
    return page;
  }

  function upload(page: Page, size: number, streamUploads: boolean | 'auto', waitForServer = false) {
    return page.evaluate(
      ([size, streamUploads, waitForServer]) =>
        (
          globalThis as unknown as {
            upload(size: number, options: object): Promise<Record<string, unknown>>;
          }
        ).upload(size, { streamUploads, waitForServer }),
      [size, streamUploads, waitForServer] as const,
    );
  }

  it('streams an upload over HTTP/2: the server reads the first chunk before the page makes the second', async () => {
    const page = await openPage(nginx.url);
    // 8 MiB, over the 1 MiB the client would read whole: only a streamed body gets through.
    expect(await upload(page, 8 * MiB, 'auto', true)).toEqual({ status: 'ok', text: String(8 * MiB) });
    await page.context().close();
  }, 60_000);

  it('reads a body whole within the limit over HTTP/1.1, where Chromium cannot stream', async () => {
    const page = await openPage(served.url.replace(/\/$/, ''));
    expect(await upload(page, 512 * 1024, 'auto')).toEqual({ status: 'ok', text: String(512 * 1024) });
    await page.context().close();
  }, 60_000);

  it('refuses a body over the limit over HTTP/1.1 with too_large, before sending anything', async () => {
    const page = await openPage(served.url.replace(/\/$/, ''));
    const before = uploads;
    const result = await upload(page, 4 * MiB, 'auto');
    expect(result).toEqual({
      error: 'too_large',
      message: expect.stringContaining(`over ${BUFFER_LIMIT} bytes`),
    });
    expect(uploads).toBe(before);
    await page.context().close();
  }, 60_000);
});
