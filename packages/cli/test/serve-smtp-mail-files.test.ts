import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from '@parley/core';
import { parseMail, smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSmtp } from '../../smtp/test/helpers.js';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-smtp-mail-'));
let server: Server;
let port: number;

beforeAll(async () => {
  mkdirSync(join(root, 'inbox'));
  server = createServer(folderService(root, { write: true }));
  const listener = await server.listen(smtp('smtp://127.0.0.1:0'));
  port = Number(new URL(listener.url).port);
});
afterAll(async () => {
  await server.close({ timeoutMs: 1000 });
  rmSync(root, { recursive: true, force: true });
});

/** Sends one message to inbox@localhost over a raw SMTP dialogue; the final reply. */
async function mail(message: string): Promise<string> {
  const { client } = await RawSmtp.open(port);
  try {
    expect(await client.command('EHLO test')).toMatch(/^250/);
    expect(await client.command('MAIL FROM:<alice@example.org>')).toMatch(/^250/);
    expect(await client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
    expect(await client.command('DATA')).toMatch(/^354/);
    return await client.command(`${message}\r\n.`);
  } finally {
    client.close();
  }
}

const ATTACHMENT = Buffer.from([0, 1, 2, 250, 251, 252, 13, 10, 46]);

const MULTIPART = [
  'From: Alice <alice@example.org>',
  'To: inbox@localhost',
  'Subject: report with a file',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'see the file',
  '--b1',
  'Content-Type: application/octet-stream',
  'Content-Disposition: attachment; filename="data.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  ATTACHMENT.toString('base64'),
  '--b1--',
].join('\r\n');

describe('parley serve: a mail into a folder is a .eml file that is a mail', () => {
  it('keeps the header fields, so a mail reader finds the subject, the sender and the attachment', async () => {
    expect(await mail(MULTIPART)).toMatch(/^250/);
    const [name] = readdirSync(join(root, 'inbox'));
    expect(name).toMatch(/\.eml$/);
    const saved = readFileSync(join(root, 'inbox', name as string));
    const parsed = await parseMail(saved);
    expect(parsed.subject).toBe('report with a file');
    expect(parsed.from).toMatchObject({ address: 'alice@example.org' });
    expect(parsed.text?.trim()).toBe('see the file');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.filename).toBe('data.bin');
    expect(Buffer.from(parsed.attachments[0]?.content ?? [])).toEqual(ATTACHMENT);
  });
});
