import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, readAll, sendAll } from './raw-ftp.js';

const start = loggedInEach((store) => {
  store.files.set('/what', { bytes: Buffer.from('kept\n'), modified: new Date() });
});

describe('names with a ? (FTP has no query part)', () => {
  it('stores STOR what?.txt under that name, leaving the file "what" alone', async () => {
    const { served, ftp } = await start();
    const data = await openData(await ftp.epsv());
    await ftp.expect('STOR what?.txt', 150);
    await sendAll(data, 'new\n');
    expect((await ftp.read()).code).toBe(226);
    expect(served.store.files.get('/what')?.bytes.toString()).toBe('kept\n');
    expect(served.store.files.get('/what?.txt')?.bytes.toString()).toBe('new\n');
  });

  it('makes, lists and enters a folder named "odd ?#%name", and reads a file back from it', async () => {
    const { served, ftp } = await start();
    expect((await ftp.send('MKD odd ?#%name')).code).toBe(257);
    expect([...served.store.directories]).toContain('/odd ?#%name/');
    await ftp.expect('CWD odd ?#%name', 250);
    const up = await openData(await ftp.epsv());
    await ftp.expect('STOR in.txt', 150);
    await sendAll(up, 'inside\n');
    expect((await ftp.read()).code).toBe(226);
    const down = readAll(await openData(await ftp.epsv()));
    await ftp.expect('RETR /odd ?#%name/in.txt', 150);
    expect((await down).toString()).toBe('inside\n');
    expect((await ftp.read()).code).toBe(226);
  });

  it('keeps two names that are not UTF-8 (Latin-1 café and cafè) apart, byte for byte', async () => {
    const { served, ftp } = await start();
    for (const [name, body] of [
      ['caf\xe9.txt', 'first\n'],
      ['caf\xe8.txt', 'second\n'],
    ] as const) {
      const data = await openData(await ftp.epsv());
      ftp.socket.write(
        Buffer.concat([Buffer.from('STOR '), Buffer.from(name, 'latin1'), Buffer.from('\r\n')]),
      );
      expect((await ftp.read()).code).toBe(150);
      await sendAll(data, body);
      expect((await ftp.read()).code).toBe(226);
    }
    expect(served.store.files.get('/café.txt')?.bytes.toString()).toBe('first\n');
    expect(served.store.files.get('/cafè.txt')?.bytes.toString()).toBe('second\n');
  });
});
