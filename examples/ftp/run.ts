/** Starts the file store, runs the client against it, prints what happened, exits. */
import { useStore } from './client.js';
import { files, start } from './server.js';

const { server, url } = await start(0);
const result = await useStore(url, 'alice', 'secret');
console.log('result:', result);
await server.close({ timeoutMs: 2000 });
const expected = result.text === 'Hello over FTP' && result.missing === 'not_found' && files.size === 0;
process.exit(expected ? 0 : 1);
