import { beforeEach, describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData, type RawFtp, sendAll } from './raw-ftp.js';
import type { Served } from './serve.js';

const open = loggedInEach();
let served: Served;
let ftp: RawFtp;

beforeEach(async () => {
  ({ served, ftp } = await open());
});

const upload = (command: string, bytes: Buffer | string): Promise<string> => ftp.upload(command, bytes);
const download = (command: string) => ftp.download(command);

function stored(path: string): string | undefined {
  return served.store.files.get(path)?.bytes.toString('latin1');
}

describe('TYPE A (RFC 959 ASCII): CRLF on the wire, the stored bytes as they were', () => {
  it('turns the CRLF of an ASCII upload into LF and keeps a lone CR', async () => {
    await ftp.expect('TYPE A', 200);
    expect(await upload('STOR a.txt', 'one\r\ntwo\r\nlone\rcr\r\n')).toMatch(/^226/);
    expect(stored('/a.txt')).toBe('one\ntwo\nlone\rcr\n');
  });

  it('joins a CRLF split across two writes of the data connection', async () => {
    await ftp.expect('TYPE A', 200);
    const port = await ftp.epsv();
    const data = await openData(port);
    expect((await ftp.send('STOR split.txt')).code).toBe(150);
    data.write('one\r');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sendAll(data, '\ntwo\r');
    expect((await ftp.read()).text).toMatch(/^226/);
    expect(stored('/split.txt')).toBe('one\ntwo\r');
  });

  it('sends a file in TYPE A with CRLF line ends, and byte for byte again after TYPE I', async () => {
    await upload('STOR b.txt', 'one\ntwo\r\nthree');
    await ftp.expect('TYPE A', 200);
    const ascii = await download('RETR b.txt');
    expect(ascii.bytes.toString('latin1')).toBe('one\r\ntwo\r\nthree');
    expect(ascii.opening).toMatch(/ASCII mode/);
    expect(ascii.reply).toMatch(/^226/);
    expect((await ftp.send('STAT')).lines).toContain(' TYPE: ASCII');
    await ftp.expect('TYPE I', 200);
    const binary = await download('RETR b.txt');
    expect(binary.bytes.toString('latin1')).toBe('one\ntwo\r\nthree');
    expect(binary.opening).toMatch(/BINARY mode/);
  });

  it.each([
    ['honours', true],
    ['does not honour', false],
  ])('resumes at a REST offset counted in the file, when the handler %s range', async (_name, honour) => {
    served.store.honourRange = honour;
    served.store.files.set('/r.txt', { bytes: Buffer.from('ab\ncd\nef\n'), modified: new Date(0) });
    await ftp.expect('TYPE A', 200);
    await ftp.expect('REST 3', 350);
    const resumed = await download('RETR r.txt');
    expect(resumed.bytes.toString('latin1')).toBe('cd\r\nef\r\n');
    expect(resumed.reply).toMatch(/^226/);
  });

  it('refuses an ASCII upload over the limit with 552 and stores nothing', async () => {
    ({ served, ftp } = await open({ maxBodyBytes: 10 }));
    await ftp.expect('TYPE A', 200);
    expect(await upload('STOR big.txt', 'line\r\n'.repeat(100))).toMatch(/^552/);
    expect(served.store.files.has('/big.txt')).toBe(false);
  });

  it("answers a refused ASCII upload with the handler's reply, and the session goes on", async () => {
    await ftp.expect('TYPE A', 200);
    expect(await upload('STOR /private/x.txt', 'line\r\n'.repeat(1000))).toMatch(/^550/);
    expect(await upload('STOR ok.txt', 'a\r\n')).toMatch(/^226/);
    expect(stored('/ok.txt')).toBe('a\n');
  });

  it('keeps binary (TYPE I) uploads byte for byte, the default', async () => {
    expect(await upload('STOR c.bin', 'one\r\ntwo\r\n')).toMatch(/^226/);
    expect(stored('/c.bin')).toBe('one\r\ntwo\r\n');
    await ftp.expect('TYPE L 8', 200);
    expect(await upload('STOR d.bin', 'x\r\n')).toMatch(/^226/);
    expect(stored('/d.bin')).toBe('x\r\n');
  });
});
