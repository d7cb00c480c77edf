import { existsSync } from 'node:fs';

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium on a shared, sandbox-less test machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether Chromium is installed; under CI a missing Chromium is a failure, elsewhere the suite skips. */
export function requireChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is required under CI but ${CHROMIUM} is missing`);
  return false;
}
