import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from '../../../test/support/chromium.js';
import { runExample } from '../../../test/support/run-example.js';
import { bundlePage } from '../bundle.js';
import { type ExampleServer, start } from '../server.js';

it('runs the shared client function in Node.js over HTTP, WebSocket and MQTT over WebSocket', async () => {
  const { code, output } = await runExample(import.meta.url, 60_000);
  expect(code, output).toBe(0);
  expect(output).toMatch(/node http: ok: hello from node-over-http\.txt/);
  expect(output).toMatch(/node ws: ok: hello from node-over-ws\.txt/);
  expect(output).toMatch(/node mqtt: ok: hello from node-over-mqtt\.txt/);
});

describe.runIf(requireChromium())('the same function in a page, in headless Chromium', () => {
  let example: ExampleServer;
  let browser: Browser;

  beforeAll(async () => {
    example = await start(await bundlePage());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
  });

  it('stores and reads a note over HTTP (fetch), WebSocket and MQTT over WebSocket', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(example.pageUrl);
    await page.waitForFunction(
      () => (globalThis as { parleyResults?: unknown }).parleyResults !== undefined,
      {
        timeout: 30_000,
      },
    );
    const results = await page.evaluate(() => (globalThis as { parleyResults?: unknown }).parleyResults);
    expect(errors).toEqual([]);
    expect(results).toEqual({
      http: 'ok: hello from browser-over-http.txt',
      ws: 'ok: hello from browser-over-ws.txt',
      mqtt: 'ok: hello from browser-over-mqtt.txt',
    });
    expect(await page.textContent('#results')).toContain('mqtt: ok: hello from browser-over-mqtt.txt');
    // What the page wrote, the Node.js side reads: one service behind all three.
    const { createClient } = await import('@parley/core');
    const { http } = await import('@parley/http');
    await using client = createClient(http(example.endpoints.http));
    expect(await (await client.get('/notes/browser-over-mqtt.txt')).body.text()).toBe(
      'hello from browser-over-mqtt.txt',
    );
    await page.close();
  });
});
