/**
 * A client of the notes service. The client keeps a small pool of connections open (keep-alive)
 * and sends each call as one request; every call gets one response, whatever its status.
 * A ParleyError is thrown only when no response came at all (server down, timeout, abort).
 */
import { createClient, readListing } from '@parley/core';
import { http } from '@parley/http';

/** What the client saw, call by call. */
export interface NotesResult {
  readonly stored: string;
  readonly text: string;
  readonly listing: string[];
  readonly removed: string;
  readonly missing: string;
}

/** Stores a note, reads it back, lists, deletes it, then asks for it again. */
export async function useNotes(url: string): Promise<NotesResult> {
  // `await using` closes the connection pool when the function returns.
  await using client = createClient(http(url), { timeoutMs: 5000 });
  const stored = await client.put('/notes/hello.txt', 'Hello over HTTP'); // PUT, body streamed up
  await stored.body.cancel(); // a response body must be read or discarded
  const read = await client.get('/notes/hello.txt'); // GET
  const text = await read.body.text();
  const entries = await readListing(await client.list('/notes/')); // GET /notes/ on the wire
  const removed = await client.delete('/notes/hello.txt');
  await removed.body.cancel();
  const missing = await client.get('/notes/hello.txt'); // 404 is a response, not an error
  await missing.body.cancel();
  return {
    stored: stored.status,
    text,
    listing: entries.map((entry) => `${entry.name} (${entry.size} bytes)`),
    removed: removed.status,
    missing: missing.status,
  };
}
