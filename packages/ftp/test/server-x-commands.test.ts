import { beforeEach, describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import type { RawFtp } from './raw-ftp.js';
import type { Served } from './serve.js';

const open = loggedInEach();
let served: Served;
let ftp: RawFtp;

beforeEach(async () => {
  ({ served, ftp } = await open());
});

describe('the X commands of RFC 775 (as Windows ftp.exe sends mkdir and rmdir)', () => {
  it('XMKD makes a folder and XRMD removes it, as MKD and RMD', async () => {
    expect((await ftp.send('XMKD made')).text).toMatch(/^257 "\/made"/);
    expect(served.store.directories.has('/made/')).toBe(true);
    expect((await ftp.send('XRMD made')).code).toBe(250);
    expect(served.store.directories.has('/made/')).toBe(false);
  });

  it('HELP names them', async () => {
    const help = await ftp.send('HELP');
    for (const verb of ['XCUP', 'XCWD', 'XMKD', 'XPWD', 'XRMD']) expect(help.text).toContain(verb);
  });
});
