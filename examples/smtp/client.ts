/**
 * Sends a note by mail. The client knows nothing of SMTP beyond the transport it is given:
 * `POST /notes/<name>` becomes a message to `notes+<name>@localhost`; the answer is the
 * server's acknowledgement, with the message id and reply text as headers and no body.
 */
import { createClient } from '@parley/core';
import { smtp } from '@parley/smtp';

/** Posts one note and returns what the server acknowledged. */
export async function sendNote(url: string, name: string, text: string) {
  await using client = createClient(smtp(url, { from: 'example@localhost' }));
  // A string body goes as text/plain; charset=utf-8 (bytes as application/octet-stream).
  const response = await client.post(`/notes/${name}`, text, { headers: { subject: `Note ${name}` } });
  return {
    status: response.status,
    messageId: response.headers.get('message-id'),
    reply: response.headers.get('smtp-reply'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'smtp://127.0.0.1:2525';
  console.log(await sendNote(url, 'hello.txt', 'Hello over SMTP'));
}
