/** Starts the mailbox service, sends it a note with the client, prints what happened, exits. */
import { sendNote } from './client.js';
import { inbox, start } from './server.js';

const { server, url } = await start(0);
const sent = await sendNote(url, 'hello.txt', 'Hello over SMTP');
console.log('acknowledgement:', sent);
console.log('inbox:', inbox);
await server.close({ timeoutMs: 2000 });
process.exit(sent.status === 'ok' && inbox.length === 1 ? 0 : 1);
