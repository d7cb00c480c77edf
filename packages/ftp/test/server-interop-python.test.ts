import { passwordTable } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, peerAvailable, runPeer } from './peers.js';
import { type Served, serve } from './serve.js';
import { TEST_TLS } from './tls-fixture.js';

const hasPython = peerAvailable(PYTHON, ['-c', 'import ftplib']);

/** A Python ftplib session: login, storbinary, retrbinary, REST, MLSD, SIZE, delete; prints JSON. */
const SESSION = `
import ftplib, io, json, ssl, sys
port, tls = int(sys.argv[1]), sys.argv[2] == 'tls'
if tls:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    ftp = ftplib.FTP_TLS(context=ctx)
else:
    ftp = ftplib.FTP()
ftp.connect('127.0.0.1', port, timeout=10)
out = {'login': ftp.login('alice', 'secret')}
if tls:
    ftp.prot_p()
data = bytes(range(256)) * 4000
out['stor'] = ftp.storbinary('STOR py.bin', io.BytesIO(data))
got = io.BytesIO()
out['retr'] = ftp.retrbinary('RETR py.bin', got.write)
out['same'] = got.getvalue() == data
tail = io.BytesIO()
ftp.retrbinary('RETR py.bin', tail.write, rest=1000)
out['rest'] = tail.getvalue() == data[1000:]
out['size'] = ftp.size('py.bin')
out['mlsd'] = [[name, facts.get('type'), facts.get('size')] for name, facts in ftp.mlsd()]
out['nlst'] = ftp.nlst()
out['mkd'] = ftp.mkd('pydir')
out['cwd'] = ftp.cwd('pydir')
out['pwd'] = ftp.pwd()
ftp.cwd('/')
out['delete'] = ftp.delete('py.bin')
try:
    ftp.delete('py.bin')
except ftplib.error_perm as error:
    out['missing'] = str(error)
ftp.quit()
print(json.dumps(out))
`;

const REFUSED = `
import ftplib, sys
ftp = ftplib.FTP()
ftp.connect('127.0.0.1', int(sys.argv[1]), timeout=10)
try:
    ftp.login('alice', 'wrong')
except ftplib.error_perm as error:
    print(str(error))
`;

/** ftplib's rename(): to a new name, onto itself, and from a missing name. */
const RENAME = `
import ftplib, io, json, sys
ftp = ftplib.FTP()
ftp.connect('127.0.0.1', int(sys.argv[1]), timeout=10)
ftp.login('alice', 'secret')
ftp.storbinary('STOR before.txt', io.BytesIO(b'kept'))
out = {'rename': ftp.rename('before.txt', 'after.txt'), 'self': ftp.rename('after.txt', 'after.txt')}
try:
    ftp.rename('before.txt', 'other.txt')
except ftplib.error_perm as error:
    out['missing'] = str(error)[:3]
got = io.BytesIO()
ftp.retrbinary('RETR after.txt', got.write)
out['content'] = got.getvalue().decode()
ftp.quit()
print(json.dumps(out))
`;

describe.skipIf(!hasPython)('interop: Python ftplib against the Parley FTP server', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ authenticate: passwordTable({ alice: 'secret' }), tls: TEST_TLS });
  });
  afterAll(() => served.close());

  it.each(['plain', 'tls'])(
    'runs a whole session (%s): store, retrieve, REST, MLSD, SIZE, MKD, CWD, delete',
    async (mode) => {
      const run = await runPeer(PYTHON, ['-c', SESSION, String(served.port), mode]);
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(out.login).toBe('230 Login successful');
      expect(out.stor).toMatch(/^226 Created/);
      expect(out.retr).toBe('226 Transfer complete');
      expect(out.same).toBe(true);
      expect(out.rest).toBe(true);
      expect(out.size).toBe(1_024_000);
      expect(out.mlsd).toContainEqual(['py.bin', 'file', '1024000']);
      expect(out.nlst).toContain('py.bin');
      expect(out.mkd).toBe('/pydir');
      expect(out.pwd).toBe('/pydir');
      expect(out.delete).toMatch(/^250/);
      expect(out.missing).toMatch(/^550/);
      served.store.directories.delete('/pydir/');
    },
  );

  it('renames with rename(): one MOVE, a rename onto itself keeps the file', async () => {
    const run = await runPeer(PYTHON, ['-c', RENAME, String(served.port)]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      rename: '250 Renamed to /after.txt',
      self: '250 Renamed to /after.txt (the same name: nothing to do)',
      missing: '550',
      content: 'kept',
    });
    expect(served.store.files.has('/before.txt')).toBe(false);
  });

  it('gets 530 for a refused login', async () => {
    const run = await runPeer(PYTHON, ['-c', REFUSED, String(served.port)]);
    expect(run.stdout.trim()).toBe('530 Login incorrect');
  });
});
