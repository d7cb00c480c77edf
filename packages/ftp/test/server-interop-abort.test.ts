import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, peerAvailable, runPeer } from './peers.js';
import { RawFtp } from './raw-ftp.js';
import { type Served, serve } from './serve.js';

const hasPython = peerAvailable(PYTHON, ['-c', 'import ftplib']);

/**
 * ftplib's `abort()` sends `ABOR\r\n` as TCP urgent data (its LF is the urgent byte) during a
 * RETR or a STOR; with `bsd` the abort is sent as BSD `ftp` and tnftp send it (`IAC IP IAC` as
 * urgent data, then `DM ABOR`). Prints the abort's reply, the transfer's final reply and a NOOP's.
 */
const ABORT = `
import ftplib, json, socket, sys
port, command = int(sys.argv[1]), sys.argv[2]
bsd = len(sys.argv) > 3 and sys.argv[3] == 'bsd'
def bsd_abort(ftp):
    ftp.sock.sendall(b'\\xff\\xf4\\xff', socket.MSG_OOB)
    ftp.sock.sendall(b'\\xf2ABOR\\r\\n')
    return ftp.getmultiline()
ftp = ftplib.FTP()
ftp.connect('127.0.0.1', port, timeout=10)
ftp.login('anonymous', 'guest')
ftp.voidcmd('TYPE I')
data = ftp.transfercmd(command)
if command.startswith('RETR'):
    data.recv(65536)
else:
    data.sendall(b'x' * 300000)
out = {'abort': bsd_abort(ftp) if bsd else ftp.abort()}
data.close()
if out['abort'].startswith('426'):
    out['final'] = ftp.getresp()
out['noop'] = ftp.voidcmd('NOOP')
ftp.quit()
print(json.dumps(out))
`;

describe.skipIf(!hasPython)('interop: Python ftplib abort() against the Parley FTP server', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve();
    served.store.files.set('/big.bin', { bytes: Buffer.alloc(64 * 1024 * 1024, 1), modified: new Date() });
  });
  afterAll(() => served.close());

  it('aborts a download of a large file: 426 then 226, and the session goes on', async () => {
    const run = await runPeer(PYTHON, ['-c', ABORT, String(served.port), 'RETR big.bin']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      abort: '426 Transfer aborted',
      final: '226 ABOR command successful',
      noop: '200 NOOP ok',
    });
  });

  it('aborts a download when ABOR comes as BSD ftp and tnftp send it (IAC IP IAC urgent, DM ABOR)', async () => {
    const run = await runPeer(PYTHON, ['-c', ABORT, String(served.port), 'RETR big.bin', 'bsd']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      abort: '426 Transfer aborted',
      final: '226 ABOR command successful',
      noop: '200 NOOP ok',
    });
  });

  it('aborts an upload: exactly one 426 then one 226, and nothing is stored', async () => {
    const run = await runPeer(PYTHON, ['-c', ABORT, String(served.port), 'STOR up.bin']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      abort: '426 Transfer aborted',
      final: '226 ABOR command successful',
      noop: '200 NOOP ok',
    });
    expect(served.store.files.has('/up.bin')).toBe(false);
  });
});

describe('ABOR on the wire', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve();
  });
  afterAll(() => served.close());

  it.each([
    ['a cut ABOR (its LF sent as urgent data)', 'ABOR\r'],
    ['Telnet IP and Synch, the Data Mark lost to urgent data', '\xff\xf4\xffABOR\r\n'],
    ['Telnet IP and Synch in line', '\xff\xf4\xff\xf2ABOR\r\n'],
    ['Telnet IP and Synch, the IAC before the Data Mark lost to urgent data', '\xff\xf4\xf2ABOR\r\n'],
    ['a Data Mark alone before ABOR', '\xf2ABOR\r\n'],
    ['a cut ABOR after Telnet IP', '\xff\xf4\xffABOR\r'],
  ])('understands %s', async (_name, bytes) => {
    const ftp = await RawFtp.connect(served.port);
    await ftp.login();
    ftp.socket.write(Buffer.from(bytes, 'latin1'));
    expect((await ftp.read()).code).toBe(225);
    ftp.socket.write(bytes.endsWith('\r') ? '\nNOOP\r\n' : 'NOOP\r\n');
    expect((await ftp.read()).text).toBe('200 NOOP ok');
    ftp.close();
  });

  it('splits a cut ABOR from the command sent right after it', async () => {
    const ftp = await RawFtp.connect(served.port);
    await ftp.login();
    ftp.socket.write('ABOR\rNOOP\r\n');
    expect((await ftp.read()).code).toBe(225);
    expect((await ftp.read()).text).toBe('200 NOOP ok');
    ftp.close();
  });
});
