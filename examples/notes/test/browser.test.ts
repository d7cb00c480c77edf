import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Body } from '@parley/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../../test/support/chromium.js';
import { requirePeers } from '../../../test/support/peer.js';
import { buildPage } from '../build-page.js';
import { portOf, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const ready = requireChromium() && requirePeers('swaks', 'curl', 'mosquitto_pub');
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const WAIT = { timeout: 20_000 };

/** Sends one request from the page's form and resolves with the reply it shows. */
async function sendFromPage(page: Page, transport: string, method: string, name: string, content = '') {
  await page.check(`input[name="transport"][value="${transport}"]`);
  await page.fill('#name', name);
  await page.fill('#content', content);
  await page.evaluate("document.getElementById('reply').dataset.done = ''");
  const button = { GET: 'Read', PUT: 'Write', DELETE: 'Delete' }[method] as string;
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForSelector(`#reply[data-done="${transport} ${method}"]`, WAIT);
  return (await page.textContent('#reply')) ?? '';
}

describe.runIf(ready)('the live page in headless Chromium', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await buildPage();
    service = await startTestService();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('shows notes written over SMTP, FTP and MQTT as they arrive, with protocol, peer and status', async () => {
    await service.store.write('before.txt', Body.from('already here'), { mode: 'replace' });
    await page.goto(service.urls.http);
    await page.waitForSelector('text=Live over WebSocket', WAIT);
    await page.waitForSelector('#notes tr[data-name="before.txt"]', WAIT);
    // Marks this document: a reload would lose the mark.
    await page.evaluate(() => {
      (globalThis as unknown as { mark: string }).mark = 'same document';
    });

    await run('swaks', [
      ...['--server', `127.0.0.1:${portOf(service.urls.smtp)}`, '--to', 'notes@localhost'],
      ...['--header', 'Subject: mailed.txt', '--body', 'hi'],
    ]);
    await page.waitForSelector('#changes tr[data-name="mailed.txt"][data-protocol="smtp"]', WAIT);
    await page.waitForSelector('#notes tr[data-name="mailed.txt"]', WAIT);
    expect(await page.textContent('#notes tr[data-name="mailed.txt"] td.size')).toBe('3');

    const file = join(service.dataDir, '..', `parley-upload-${process.pid}.txt`);
    await writeFile(file, 'uploaded over ftp\n');
    const ftpUrl = `ftp://demo:demo@127.0.0.1:${portOf(service.urls.ftp)}/notes/x.txt`;
    await run('curl', ['-sS', '-T', file, ftpUrl]);
    const overFtp = '#changes tr[data-name="x.txt"][data-protocol="ftp"]';
    await page.waitForSelector(overFtp, WAIT);
    expect(await page.textContent(`${overFtp} td.peer`)).toMatch(/^demo@127\.0\.0\.1/);
    expect(await page.textContent(`${overFtp} td.status`)).toBe('created');
    expect(await page.textContent(`${overFtp} .protocol`)).toBe('FTP');

    const topic = 'notes-service/PUT/notes/published.txt';
    await run('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(portOf(service.urls.mqtt)),
      '-t',
      topic,
      '-m',
      'mqtt!',
    ]);
    const overMqtt = '#changes tr[data-name="published.txt"][data-protocol="mqtt"]';
    await page.waitForSelector(overMqtt, WAIT);
    expect(await page.textContent(`${overMqtt} .protocol`)).toBe('MQTT');
    expect(await page.textContent(`${overMqtt} td.change`)).toBe('created published.txt (5 B)');
    await page.waitForSelector('#notes tr[data-name="published.txt"]', WAIT);

    expect(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark)).toBe(
      'same document',
    );
  });

  for (const [transport, label] of [
    ['http', 'HTTP'],
    ['ws', 'WebSocket'],
    ['mqtt', 'MQTT over WebSocket'],
  ] as const) {
    it(`writes, reads and deletes a note from the page over ${label}`, async () => {
      const name = `from-${transport}.txt`;
      const written = await sendFromPage(page, transport, 'PUT', name, `written over ${label}`);
      expect(written).toContain(`PUT /notes/${name} over ${label}\n\ncreated`);
      const change = `#changes tr[data-name="${name}"][data-protocol="${transport}"]`;
      await page.waitForSelector(change, WAIT);
      await page.waitForSelector(`#notes tr[data-name="${name}"]`, WAIT);
      expect(await page.locator('#trace li').count()).toBeGreaterThan(2);

      const read = await sendFromPage(page, transport, 'GET', name);
      expect(read).toContain('\n\nok\n');
      expect(read).toContain(`written over ${label}`);

      expect(await sendFromPage(page, transport, 'DELETE', name)).toContain('\n\nno_content\n');
      await page.waitForSelector(`${change} >> text=no_content`, WAIT);
      await page.waitForSelector(`#notes tr[data-name="${name}"]`, { state: 'detached', ...WAIT });
      expect(await sendFromPage(page, transport, 'GET', name)).toContain('\n\nnot_found\n');
    });
  }

  it('shows the wire trace of a request and writes a screenshot of the page', async () => {
    await sendFromPage(page, 'http', 'PUT', 'hello.txt', 'Hello from the browser');
    const trace = (await page.textContent('#trace')) ?? '';
    expect(trace).toContain('> http PUT /notes/hello.txt HTTP');
    expect(trace).toContain('< http HTTP 201');
    await sendFromPage(page, 'ws', 'GET', 'hello.txt');
    expect(await page.textContent('#trace')).toContain('> ws HEADERS id=1 GET /notes/hello.txt body=0B END');
    await sendFromPage(page, 'mqtt', 'GET', 'hello.txt');
    expect(await page.textContent('#trace')).toMatch(/> mqtt .*PUBLISH/);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'live-page.png'), fullPage: true });
  });
});
