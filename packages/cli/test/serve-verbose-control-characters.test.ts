import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { servedFolder } from './support.js';

const served = servedFolder('parley-serve-verbose-', ['-v']);

describe('parley serve -v shows control characters a client sends as text', () => {
  it('so a client cannot set the terminal title or clear the screen of whoever watches the dialogue', async () => {
    const url = new URL(served.serving.urls.smtp as string);
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {});
    let replies = '';
    socket.on('data', (chunk: Buffer) => {
      replies += chunk.toString('latin1');
    });
    // After the greeting: SMTP refuses a client that talks first.
    socket.once('data', () => socket.write('EHLO \u001b]0;owned\u0007\u001b[2Jclient\r\nQUIT\r\n'));
    await new Promise((resolve) => socket.on('close', resolve));
    expect(replies).toMatch(/^220 /);
    const output = served.serving.output();
    expect(output).toContain('EHLO \\x1b]0;owned\\x07\\x1b[2Jclient');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }, 60_000);
});
