import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, readAll, sendAll } from './raw-ftp.js';

const start = loggedInEach((store) => {
  store.files.set('/a.txt', {
    bytes: Buffer.from('0123456789'),
    modified: new Date(Date.UTC(2024, 0, 2)),
  });
});

describe('REST past the end of the file', () => {
  it('answers RETR with 554 and opens no transfer', async () => {
    const { ftp } = await start();
    const data = await openData(await ftp.epsv());
    const bytes = readAll(data);
    expect((await ftp.send('REST 11')).code).toBe(350);
    const reply = await ftp.send('RETR a.txt');
    expect(reply.code).toBe(554);
    expect(reply.text).toMatch(/past the end of the file \(10 bytes\)/);
    expect((await bytes).byteLength).toBe(0);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });

  it('still sends nothing with 226 for REST at exactly the end, and the tail before it', async () => {
    const { ftp } = await start();
    for (const [offset, expected] of [
      [10, ''],
      [7, '789'],
    ] as const) {
      const bytes = readAll(await openData(await ftp.epsv()));
      await ftp.expect(`REST ${offset}`, 350);
      await ftp.expect('RETR a.txt', 150);
      expect((await bytes).toString()).toBe(expected);
      expect((await ftp.read()).code).toBe(226);
    }
  });
});

describe('a REST offset not used by the transfer after it', () => {
  it('is spent by a listing and by a RETR that fails, never shortening a later RETR', async () => {
    const { ftp } = await start();
    const listing = readAll(await openData(await ftp.epsv()));
    await ftp.expect('REST 3', 350);
    await ftp.expect('LIST', 150);
    await listing;
    expect((await ftp.read()).code).toBe(226);
    await ftp.expect('REST 4', 350);
    expect((await ftp.send('RETR /')).code).toBe(550);
    const bytes = readAll(await openData(await ftp.epsv()));
    await ftp.expect('RETR a.txt', 150);
    expect((await bytes).toString()).toBe('0123456789');
    expect((await ftp.read()).code).toBe(226);
  });
});

describe('REST before APPE', () => {
  it('appends when the offset is the file size (a resumed upload)', async () => {
    const { ftp, served } = await start();
    const data = await openData(await ftp.epsv());
    await ftp.expect('REST 10', 350);
    await ftp.expect('APPE a.txt', 150);
    await sendAll(data, 'abc');
    expect((await ftp.read()).code).toBe(226);
    expect(served.store.files.get('/a.txt')?.bytes.toString()).toBe('0123456789abc');
  });

  it('refuses any other offset with 554 before a transfer, leaving the file as it was', async () => {
    const { ftp, served } = await start();
    for (const [offset, name] of [
      [4, 'a.txt'],
      [11, 'a.txt'],
      [3, 'missing.txt'],
    ] as const) {
      await ftp.epsv();
      await ftp.expect(`REST ${offset}`, 350);
      const reply = await ftp.send(`APPE ${name}`);
      expect(reply.code).toBe(554);
      expect(reply.text).toMatch(
        name === 'a.txt' ? /APPE appends at the end and it has 10 bytes/ : /not known/,
      );
    }
    expect(served.store.files.get('/a.txt')?.bytes.toString()).toBe('0123456789');
    expect(served.store.files.has('/missing.txt')).toBe(false);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });
});

describe('MDTM', () => {
  it('answers the set-time form with 501, and still gives the time of a file', async () => {
    const { ftp } = await start();
    const reply = await ftp.send('MDTM 20240101120000 a.txt');
    expect(reply.code).toBe(501);
    expect(reply.text).toMatch(/setting the modification time/);
    expect((await ftp.send('MDTM a.txt')).text).toBe('213 20240102000000');
  });

  it('reads a file whose name starts like a time as a file', async () => {
    const { ftp, served } = await start();
    served.store.files.set('/20240101120000 b.txt', { bytes: Buffer.from('b'), modified: new Date(0) });
    expect((await ftp.send('MDTM 20240101120000 b.txt')).text).toBe('213 19700101000000');
  });
});

describe('STAT with a path', () => {
  it('lists a directory over the control connection with 213', async () => {
    const { ftp, served } = await start();
    served.store.directories.add('/docs/');
    const reply = await ftp.send('STAT /');
    expect(reply.code).toBe(213);
    expect(reply.lines[0]).toBe('213-Status of /:');
    expect(reply.lines.some((line) => /^ drwxr-xr-x .* docs$/.test(line))).toBe(true);
    expect(reply.lines.some((line) => /^ -rw-r--r-- .* 10 .* a\.txt$/.test(line))).toBe(true);
    expect(reply.lines.at(-1)).toBe('213 End of status');
  });

  it('takes a name starting with - as a name, not as ls flags, and names the folder of flags alone', async () => {
    const { ftp, served } = await start();
    served.store.files.set('/-x.txt', { bytes: Buffer.from('dash'), modified: new Date(0) });
    served.store.files.set('/.txt', { bytes: Buffer.from('other'), modified: new Date(0) });
    const reply = await ftp.send('STAT -x.txt');
    expect(reply.code).toBe(213);
    expect(reply.lines.slice(1, -1)).toEqual([expect.stringMatching(/ 4 .* -x\.txt$/)]);
    const names = readAll(await openData(await ftp.epsv()));
    await ftp.expect('NLST -la -x.txt', 150);
    expect((await names).toString()).toBe('-x.txt\r\n');
    expect((await ftp.read()).code).toBe(226);
    expect((await ftp.send('STAT -la')).lines[0]).toBe('213-Status of /:');
  });

  it('describes one file, and answers 550 for a missing path', async () => {
    const { ftp } = await start();
    const reply = await ftp.send('STAT a.txt');
    expect(reply.lines).toHaveLength(3);
    expect(reply.lines[1]).toMatch(/^ -rw-r--r-- .* a\.txt$/);
    expect((await ftp.send('STAT nothing-here')).code).toBe(550);
  });
});

describe('RNFR and RNTO to the same name', () => {
  it('answers 250 and keeps the file', async () => {
    const { ftp, served } = await start();
    await ftp.expect('RNFR a.txt', 350);
    await ftp.expect('RNTO a.txt', 250);
    await ftp.expect('RNFR a.txt', 350);
    await ftp.expect('RNTO /./a.txt', 250);
    expect(served.store.files.get('/a.txt')?.bytes.toString()).toBe('0123456789');
    expect(served.store.seen.filter((request) => request.method === 'DELETE')).toEqual([]);
  });
});
