// A client of the notes service: the same calls as over HTTP or FTP; only the transport differs.
import { type Client, createClient, readListing } from '@parley/core';
import { mqtt } from '@parley/mqtt';

/** Talks to the notes service and returns what it printed. */
export async function useNotes(client: Client, print: (line: string) => void = console.log): Promise<void> {
  const hello = await client.get('/notes/hello.txt');
  print(`GET /notes/hello.txt -> ${hello.status}: ${await hello.body.text()}`);
  const put = await client.put('/notes/mqtt.txt', 'Requests ride on topics, replies on a reply topic.');
  print(`PUT /notes/mqtt.txt -> ${put.status}`);
  const listing = await readListing(await client.list('/notes/'));
  print(`LIST /notes/ -> ${listing.map((entry) => `${entry.name} (${entry.size} bytes)`).join(', ')}`);
  const missing = await client.get('/notes/nope.txt');
  print(`GET /notes/nope.txt -> ${missing.status}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883/notes-service';
  await using client = createClient(mqtt(url));
  await useNotes(client);
}
