import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openData, RawFtp, sendAll } from './raw-ftp.js';
import { type Served, serve } from './serve.js';

let served: Served;
let ftp: RawFtp;

beforeEach(async () => {
  served = await serve();
  ftp = await RawFtp.connect(served.port);
});
afterEach(async () => {
  ftp.close();
  await served.close();
});

const upload = (command: string, bytes: Buffer | string): Promise<string> => ftp.upload(command, bytes);
const download = (command: string): Promise<{ bytes: Buffer; reply: string }> => ftp.download(command);

describe('session', () => {
  it('greets, answers SYST and FEAT before login, and refuses other commands with 530', async () => {
    expect((await ftp.send('SYST')).text).toBe('215 UNIX Type: L8');
    const feat = await ftp.send('FEAT');
    expect(feat.code).toBe(211);
    expect(feat.lines).toEqual(expect.arrayContaining([' EPSV', ' UTF8', ' REST STREAM', ' SIZE', ' MDTM']));
    expect(feat.lines.some((line) => line.startsWith(' MLST type*;size*;modify*;'))).toBe(true);
    expect(feat.lines).not.toContain(' EPRT');
    for (const command of ['PWD', 'EPSV', 'RETR a', 'LIST', 'CWD /', 'DELE a', 'MKD d']) {
      expect((await ftp.send(command)).code, command).toBe(530);
    }
  });

  it('logs in anonymously without an authenticate hook, and answers NOOP, TYPE, MODE, STRU, OPTS', async () => {
    await ftp.login();
    expect((await ftp.send('NOOP')).code).toBe(200);
    expect((await ftp.send('TYPE I')).code).toBe(200);
    expect((await ftp.send('TYPE A')).code).toBe(200);
    expect((await ftp.send('TYPE E')).code).toBe(504);
    expect((await ftp.send('MODE S')).code).toBe(200);
    expect((await ftp.send('MODE B')).code).toBe(504);
    expect((await ftp.send('STRU F')).code).toBe(200);
    expect((await ftp.send('STRU R')).code).toBe(504);
    expect((await ftp.send('OPTS UTF8 ON')).code).toBe(200);
    expect((await ftp.send('OPTS MLST type;size;')).text).toBe('200 MLST OPTS type;size;');
    expect((await ftp.send('QUIT')).code).toBe(221);
  });

  it('answers unknown, empty and malformed commands without closing', async () => {
    await ftp.login();
    expect((await ftp.send('XYZZY now')).code).toBe(502);
    expect((await ftp.send('')).code).toBe(500);
    expect((await ftp.send('RETR')).code).toBe(501);
    expect((await ftp.send('REST abc')).code).toBe(501);
    expect((await ftp.send('PASS again')).code).toBe(230);
    expect((await ftp.send('RNTO x')).code).toBe(503);
    expect((await ftp.send('RETR a')).code).toBe(425);
    expect((await ftp.send('PBSZ 0')).code).toBe(503);
    expect((await ftp.send('AUTH TLS')).code).toBe(502);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });
});

describe('files', () => {
  beforeEach(() => ftp.login());

  it('stores, retrieves, appends and deletes a file (PUT, GET, POST, DELETE)', async () => {
    expect(await upload('STOR hello.txt', 'hello')).toMatch(/^226 Created/);
    expect(served.store.files.get('/hello.txt')?.bytes.toString()).toBe('hello');
    expect(await upload('STOR hello.txt', 'hi')).toBe('226 Transfer complete');
    expect(await upload('APPE hello.txt', ' there')).toBe('226 Transfer complete');
    const { bytes, reply } = await download('RETR hello.txt');
    expect(bytes.toString()).toBe('hi there');
    expect(reply).toBe('226 Transfer complete');
    expect(served.store.seen.map((request) => request.method)).toEqual(['PUT', 'PUT', 'POST', 'GET']);
    expect((await ftp.send('DELE hello.txt')).code).toBe(250);
    expect(served.store.files.has('/hello.txt')).toBe(false);
    expect((await ftp.send('DELE hello.txt')).text).toBe('550 /hello.txt does not exist');
  });

  it('answers 550 for a missing file without opening the transfer, and frees the data channel', async () => {
    const { reply } = await download('RETR missing.txt');
    expect(reply).toBe('550 /missing.txt does not exist');
    expect(served.listener.stats().passiveListeners).toBe(0);
  });

  it('tells forbidden from not found on the same code 550', async () => {
    expect((await download('RETR /private/x')).reply).toBe('550 Forbidden: read-only area');
  });

  it('STOU stores under a new unique name and says which', async () => {
    const port = await ftp.epsv();
    const data = await openData(port);
    const opening = await ftp.send('STOU');
    expect(opening.text).toMatch(/^150 FILE: file\.[0-9a-f]{8}$/);
    await sendAll(data, 'unique');
    expect((await ftp.read()).text).toMatch(
      /^226 Created: Transfer complete \(unique file name: \/file\.[0-9a-f]{8}\)$/,
    );
    expect([...served.store.files.values()].map((file) => file.bytes.toString())).toEqual(['unique']);
  });

  it('reports SIZE and MDTM from HEAD, and MLST facts', async () => {
    await upload('STOR a.bin', Buffer.alloc(1234, 7));
    const modified = served.store.files.get('/a.bin')?.modified as Date;
    expect((await ftp.send('SIZE a.bin')).text).toBe('213 1234');
    const stamp = modified.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    expect((await ftp.send('MDTM a.bin')).text).toBe(`213 ${stamp}`);
    const mlst = await ftp.send('MLST a.bin');
    expect(mlst.lines).toEqual([
      '250-Listing /a.bin',
      ` type=file;size=1234;modify=${stamp}; /a.bin`,
      '250 End',
    ]);
    expect((await ftp.send('SIZE nothing')).code).toBe(550);
    expect((await ftp.send('MLST /')).lines[1]).toBe(' type=dir; /');
  });

  it('renames with RNFR/RNTO as one MOVE and refuses a missing source', async () => {
    await upload('STOR old.txt', 'content');
    const before = served.store.seen.length;
    expect((await ftp.send('RNFR old.txt')).code).toBe(350);
    expect((await ftp.send('RNTO new.txt')).code).toBe(250);
    expect(served.store.files.get('/new.txt')?.bytes.toString()).toBe('content');
    expect(served.store.files.has('/old.txt')).toBe(false);
    const requests = served.store.seen.slice(before);
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'HEAD /old.txt',
      'MOVE /old.txt',
    ]);
    expect(requests[1]?.headers.get('destination')).toBe('/new.txt');
    expect((await ftp.send('RNFR new.txt')).code).toBe(350);
    expect((await ftp.send('RNTO /missing-dir/new.txt')).code).toBe(550);
    expect(served.store.files.get('/new.txt')?.bytes.toString()).toBe('content');
    expect((await ftp.send('RNFR old.txt')).code).toBe(550);
    expect((await ftp.send('RNFR new.txt')).code).toBe(350);
    expect((await ftp.send('NOOP')).code).toBe(200);
    expect((await ftp.send('RNTO other.txt')).code).toBe(503);
  });
});

describe('directories', () => {
  beforeEach(() => ftp.login());

  it('makes, enters, leaves and removes directories', async () => {
    expect((await ftp.send('MKD docs')).text).toBe('257 "/docs" created');
    expect((await ftp.send('MKD docs')).code).toBe(553);
    expect((await ftp.send('CWD docs')).text).toBe('250 Directory changed to /docs');
    expect((await ftp.send('PWD')).text).toBe('257 "/docs" is the current directory');
    await upload('STOR note.txt', 'n');
    expect(served.store.files.has('/docs/note.txt')).toBe(true);
    expect((await ftp.send('CDUP')).code).toBe(250);
    expect((await ftp.send('PWD')).text).toBe('257 "/" is the current directory');
    expect((await ftp.send('RMD docs')).code).toBe(553);
    expect((await ftp.send('DELE docs/note.txt')).code).toBe(250);
    expect((await ftp.send('RMD docs')).code).toBe(250);
    expect((await ftp.send('CWD docs')).code).toBe(550);
    expect(served.store.seen.at(-2)?.method).toBe('DELETE');
    expect(served.store.seen.at(-2)?.path).toBe('/docs/');
  });

  it('renders one LIST response as MLSD, LIST and NLST', async () => {
    await ftp.send('MKD sub');
    await upload('STOR a.txt', 'abc');
    const modified = served.store.files.get('/a.txt')?.modified as Date;
    const stamp = modified.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const mlsd = await download('MLSD');
    expect(mlsd.reply).toBe('226 Directory send OK');
    expect(mlsd.bytes.toString()).toBe(`type=dir; sub\r\ntype=file;size=3;modify=${stamp}; a.txt\r\n`);
    const list = (await download('LIST -la')).bytes.toString().split('\r\n');
    expect(list[0]).toMatch(/^drwxr-xr-x 1 owner group +0 Jan {2}1 {2}1970 sub$/);
    expect(list[1]).toMatch(/^-rw-r--r-- 1 owner group +3 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d a\.txt$/);
    expect((await download('NLST')).bytes.toString()).toBe('sub\r\na.txt\r\n');
    expect((await download('MLSD nowhere')).reply).toBe('550 no directory /nowhere/');
    expect(
      served.store.seen.filter((request) => request.method === 'LIST').map((request) => request.path),
    ).toEqual(['/', '/', '/', '/nowhere/']);
  });

  it('carries UTF-8 names both ways (RFC 2640)', async () => {
    const name = 'näme-日本-🙂.txt';
    await upload(`STOR ${name}`, 'utf');
    expect(served.store.files.has(`/${name}`)).toBe(true);
    expect((await download('NLST')).bytes.toString('utf8')).toBe(`${name}\r\n`);
    expect((await download(`RETR ${name}`)).bytes.toString()).toBe('utf');
  });
});

describe('REST', () => {
  beforeEach(() => ftp.login());

  it('resumes a download: sends range: bytes=<n>- and skips the bytes when the handler ignores it', async () => {
    await upload('STOR r.txt', '0123456789');
    expect((await ftp.send('REST 4')).code).toBe(350);
    expect((await download('RETR r.txt')).bytes.toString()).toBe('456789');
    expect(served.store.seen.at(-1)?.headers.get('range')).toBe('bytes=4-');
    expect((await download('RETR r.txt')).bytes.toString()).toBe('0123456789');
  });

  it('does not skip again when the handler honoured the range (content-range)', async () => {
    served.store.honourRange = true;
    await upload('STOR r.txt', '0123456789');
    await ftp.send('REST 7');
    expect((await download('RETR r.txt')).bytes.toString()).toBe('789');
  });

  it('refuses REST before STOR with 554 (APPE resumes uploads)', async () => {
    await ftp.epsv();
    await ftp.send('REST 3');
    expect((await ftp.send('STOR x')).code).toBe(554);
    expect(served.listener.stats().passiveListeners).toBe(0);
  });
});
