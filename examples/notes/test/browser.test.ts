import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Body } from '@parley/core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { requirePeers } from '../../../test/support/peer.js';
import { portOf, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const ready = requirePeers(CHROMIUM, 'swaks', 'curl');

describe.runIf(ready)('the live page in headless Chromium', () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startTestService();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('shows notes arriving over SMTP and FTP without a reload', async () => {
    await service.store.write('before.txt', Body.from('already here'), { mode: 'replace' });
    const page = await browser.newPage();
    await page.goto(service.urls.http);
    await page.waitForSelector('text=live:');
    await page.waitForSelector('tr[data-name="before.txt"]');
    // Marks this document: a reload would lose the mark.
    await page.evaluate(() => {
      (globalThis as unknown as { mark: string }).mark = 'same document';
    });

    await run('swaks', [
      '--server',
      `127.0.0.1:${portOf(service.urls.smtp)}`,
      '--to',
      'notes@localhost',
      '--header',
      'Subject: hello.txt',
      '--body',
      'hi',
    ]);
    await page.waitForSelector('tr[data-name="hello.txt"]', { timeout: 10_000 });
    expect(await page.textContent('tr[data-name="hello.txt"] td.size')).toBe('3');

    const file = join(service.dataDir, '..', `parley-upload-${process.pid}.txt`);
    await writeFile(file, 'uploaded over ftp\n');
    await run('curl', ['-sS', '-T', file, `ftp://demo:demo@127.0.0.1:${portOf(service.urls.ftp)}/notes/`]);
    const uploaded = `tr[data-name="parley-upload-${process.pid}.txt"]`;
    await page.waitForSelector(uploaded, { timeout: 10_000 });
    expect(await page.textContent(`${uploaded} td.size`)).toBe('18');

    expect(await page.evaluate(() => (globalThis as unknown as { mark?: string }).mark)).toBe(
      'same document',
    );
    const log = await page.textContent('#log');
    expect(log).toContain('smtp created hello.txt');
    expect(log).toContain(`ftp created parley-upload-${process.pid}.txt`);
    await page.close();
  });

  it('ends the event stream when the page goes away', async () => {
    const page = await browser.newPage();
    await page.goto(service.urls.http);
    await page.waitForSelector('text=live:');
    expect(service.feed.readers).toBeGreaterThanOrEqual(1);
    const before = service.feed.readers;
    await page.close();
    await eventually(() => service.feed.readers < before);
    expect(service.feed.readers).toBe(before - 1);
  });
});
