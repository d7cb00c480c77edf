/** Starts the notes service, runs the client against it, prints what happened, exits (0 when as expected). */
import { useNotes } from './client.js';
import { notes, start } from './server.js';

const { server, url } = await start(0);
const result = await useNotes(url);
console.log('result:', result);
await server.close({ timeoutMs: 2000 });
const expected =
  result.stored === 'created' &&
  result.text === 'Hello over HTTP' &&
  result.missing === 'not_found' &&
  notes.size === 0;
process.exit(expected ? 0 : 1);
