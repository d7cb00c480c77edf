/**
 * A client of the file store. It knows nothing of FTP: the same code would run over HTTP.
 * The URL carries the login; the transport keeps a small pool of logged-in connections.
 */
import { createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';

/** Stores a note, lists the store, reads the note back, asks its size, deletes it. */
export async function useStore(url: string, user: string, password: string) {
  const target = new URL(url);
  target.username = user;
  target.password = password;
  const client = createClient(ftp(target.href));
  try {
    const stored = await client.put('/files/hello.txt', 'Hello over FTP'); // STOR
    const listing = await readListing(await client.list('/files/')); // MLSD
    const read = await client.get('/files/hello.txt'); // RETR
    const text = await read.body.text();
    const head = await client.head('/files/hello.txt'); // SIZE / MDTM or MLST
    const missing = await client.get('/files/missing.txt'); // 550
    await missing.body.cancel();
    const removed = await client.delete('/files/hello.txt'); // DELE
    return {
      stored: stored.status,
      listing: listing.map((entry) => `${entry.name} (${entry.size} bytes)`),
      text,
      size: head.headers.get('content-length'),
      missing: missing.status,
      removed: removed.status,
    };
  } finally {
    await client.close();
  }
}
