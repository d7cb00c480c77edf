import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, sendAll } from './raw-ftp.js';

const start = loggedInEach((store) => {
  store.files.set('/big.bin', { bytes: Buffer.alloc(32 * 1024 * 1024, 1), modified: new Date() });
});

describe('STAT during a transfer (RFC 959: the status of the operation in progress)', () => {
  it('answers at once with 213 during a download the client is slow to read, then ABOR goes on', async () => {
    const { ftp } = await start({ dataTimeoutMs: 60_000 });
    const data = await openData(await ftp.epsv());
    data.pause();
    expect((await ftp.send('RETR big.bin')).code).toBe(150);
    const status = await ftp.send('STAT');
    expect(status.code).toBe(213);
    expect(status.text).toMatch(/transfer in progress: \d+ bytes/i);
    expect((await ftp.send('ABOR')).text).toBe('426 Transfer aborted');
    expect((await ftp.read()).text).toBe('226 ABOR command successful');
    data.destroy();
    expect((await ftp.send('NOOP')).code).toBe(200);
  });

  it('answers at once during an upload, and the upload still completes', async () => {
    const { ftp, served } = await start({ dataTimeoutMs: 60_000 });
    const data = await openData(await ftp.epsv());
    expect((await ftp.send('STOR up.bin')).code).toBe(150);
    data.write('first part ');
    const status = await ftp.send('STAT');
    expect(status.code).toBe(213);
    await sendAll(data, 'last part');
    expect((await ftp.read()).code).toBe(226);
    expect(served.store.files.get('/up.bin')?.bytes.toString()).toBe('first part last part');
  });

  it('is still the session status without a transfer, and STAT of a path lists it', async () => {
    const { ftp } = await start();
    expect((await ftp.send('STAT')).code).toBe(211);
    expect((await ftp.send('STAT big.bin')).text).toMatch(/^213-[\s\S]* big\.bin/);
  });
});
