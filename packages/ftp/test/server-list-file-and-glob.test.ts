import { beforeEach, describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import type { RawFtp } from './raw-ftp.js';

const open = loggedInEach((store) => {
  const at = new Date();
  store.directories.add('/sub/');
  for (const path of ['/a.txt', '/b.txt', '/c.bin', '/.hidden.txt', '/what?.txt', '/sub/x.bin', '/sub/y.txt'])
    store.files.set(path, { bytes: Buffer.from('12345'), modified: at });
});
let ftp: RawFtp;

beforeEach(async () => {
  ({ ftp } = await open());
});

/** Runs a listing command; the lines of its data connection and its final reply. */
async function listing(command: string): Promise<{ lines: string[]; reply: string }> {
  const { bytes, reply } = await ftp.download(command);
  return {
    lines: bytes
      .toString('utf8')
      .split('\r\n')
      .filter((line) => line !== ''),
    reply,
  };
}

describe('LIST and NLST of one file (RFC 959: the information of that file)', () => {
  it('LIST a.txt gives the one line of that file', async () => {
    const { lines, reply } = await listing('LIST a.txt');
    expect(reply).toMatch(/^226/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^-rw-r--r-- .* 5 .* a\.txt$/);
  });

  it('NLST sub/x.bin and LIST -l /sub/x.bin name the file as given', async () => {
    expect((await listing('NLST sub/x.bin')).lines).toEqual(['sub/x.bin']);
    expect((await listing('LIST -l /sub/x.bin')).lines[0]).toMatch(/ \/sub\/x\.bin$/);
  });

  it('a missing file is still 550, and MLSD of a file is still refused', async () => {
    expect((await listing('LIST nope.txt')).reply).toMatch(/^550/);
    expect((await listing('MLSD a.txt')).reply).toMatch(/^5/);
  });
});

describe('NLST and LIST with a glob in the last name (as tnftp and ncftp mget send)', () => {
  it('NLST *.txt gives the matching files, not the hidden ones', async () => {
    const { lines, reply } = await listing('NLST *.txt');
    expect(reply).toMatch(/^226/);
    expect(lines.sort()).toEqual(['a.txt', 'b.txt', 'what?.txt']);
  });

  it('NLST sub/*.bin keeps the folder part, so each name can be fetched as it is', async () => {
    expect((await listing('NLST sub/*.bin')).lines).toEqual(['sub/x.bin']);
    expect((await listing('LIST sub/?.txt')).lines[0]).toMatch(/ sub\/y\.txt$/);
  });

  it('a name holding a glob character that exists is that file alone', async () => {
    expect((await listing('NLST what?.txt')).lines).toEqual(['what?.txt']);
  });

  it('a glob matching nothing is 550', async () => {
    expect((await listing('NLST *.pdf')).reply).toMatch(/^550/);
    expect((await listing('NLST nowhere/*.txt')).reply).toMatch(/^550/);
  });
});
