import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, readAll } from './raw-ftp.js';

/**
 * Names a handler may list that no FTP command can name again (core refuses them in paths), and
 * that would act on the terminal of whoever reads the listing: an escape sequence, a
 * right-to-left override making `gpj.exe` read as `exe.jpg`, a tab, a line break.
 */
const HOSTILE = ['red\x1b[31mtext', 'photo\u202Egpj.exe', 'tab\tname', 'two\r\n226 lines'];

const start = loggedInEach((store) => {
  for (const name of ['plain.txt', ...HOSTILE])
    store.files.set(`/${name}`, { bytes: Buffer.from('x\n'), modified: new Date() });
});

describe('listings leave out names that hold control, bidirectional or invisible characters', () => {
  for (const command of ['LIST', 'NLST', 'MLSD']) {
    it(`${command} shows the other names and says in its 226 reply how many it left out`, async () => {
      const { ftp } = await start();
      const data = readAll(await openData(await ftp.epsv()));
      await ftp.expect(command, 150);
      const listing = (await data).toString();
      expect(listing).toContain('plain.txt');
      expect(listing.split('\r\n')).toHaveLength(2);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
      expect(listing).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\u202e]/);
      const reply = await ftp.read();
      expect(reply.code).toBe(226);
      expect(reply.text).toContain('4 entries left out');
    });
  }

  it('STAT of the folder leaves them out too, and says so', async () => {
    const { ftp } = await start();
    const reply = await ftp.send('STAT /');
    expect(reply.code).toBe(213);
    expect(reply.lines).toHaveLength(3);
    expect(reply.text).toContain('plain.txt');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    expect(reply.text).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\u202e]/);
    expect(reply.lines[2]).toContain('4 entries left out');
  });

  it('a listing with every name servable says nothing more', async () => {
    const { served, ftp } = await start();
    for (const name of HOSTILE) served.store.files.delete(`/${name}`);
    const data = readAll(await openData(await ftp.epsv()));
    await ftp.expect('NLST', 150);
    expect((await data).toString()).toBe('plain.txt\r\n');
    expect(await ftp.read()).toMatchObject({ code: 226, text: '226 Directory send OK' });
  });
});
