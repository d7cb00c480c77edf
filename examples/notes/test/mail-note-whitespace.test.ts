import { describe, expect, it } from 'vitest';
import { callInChild } from '../../../packages/smtp/test/in-child.js';
import { noteFromMail } from '../src/mail.js';

const MAIL = new URL('../src/mail.ts', import.meta.url);

/** The content of the note a mail of `text` makes, as text. */
async function noteText(text: string): Promise<string> {
  // The content comes back as a Buffer's JSON: `{ type: 'Buffer', data: [...] }`.
  const note = (await callInChild(MAIL, 'noteFromMail', [{ subject: 'n', text, attachments: [] }])) as {
    content: { data: number[] };
  };
  return Buffer.from(note.content.data).toString();
}

describe('the note a mail makes', () => {
  it('keeps the text, its trailing blank lines reduced to one line end', () => {
    const note = noteFromMail({
      subject: ' a.txt ',
      text: '  indented\r\nline\r\n\r\n \r\n',
      attachments: [],
    });
    expect(note.name).toBe('a.txt');
    expect(Buffer.from(note.content).toString()).toBe('  indented\r\nline\n');
  });

  // /\s+$/ tries each blank of a run up to its end: 200 000 blanks before the last word were
  // minutes of the server's time; trimming the end is linear (the call runs in a child process,
  // killed if it goes on).
  it('takes time in proportion to a text of many blank lines before its last word', async () => {
    const blanks = ' \r\n'.repeat(70_000);
    expect(await noteText(`${blanks}end\r\n \r\n`)).toBe(`${blanks}end\n`);
  });
});
