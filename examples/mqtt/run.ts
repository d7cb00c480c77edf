// Starts the server (with the embedded broker on a free port), runs the client against it, exits 0.
import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { useNotes } from './client.js';
import { startNotesServer } from './server.js';

const { url, stop } = await startNotesServer({ mqttUrl: process.env.MQTT_URL, brokerPort: 0 });
console.log(`notes service on ${url}`);
try {
  await using client = createClient(mqtt(url));
  await useNotes(client);
} finally {
  await stop();
}
console.log('done');
