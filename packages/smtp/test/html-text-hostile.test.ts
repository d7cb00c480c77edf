import { parseMail } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { callInChild } from './in-child.js';

const HTML_TEXT = new URL('../src/html-text.ts', import.meta.url);

/** The text of an HTML-only mail, as parseMail gives it. */
async function textOf(html: string): Promise<string | undefined> {
  const raw = `Subject: html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
  return (await parseMail(raw)).text;
}

describe('the text of an HTML mail (parseMail, htmlToText)', () => {
  it('drops comments, scripts, styles and tags, and breaks lines where blocks end', async () => {
    const html =
      '<head><title>T</title></head><!-- hidden --><SCRIPT>alert(1)</Script ><style>p{}</style>' +
      '<h1>Title</h1><p>One<br>two</p><ul><li>a</li><li class="x">b</li></ul>&amp; &#65;<scripts>kept</scripts>';
    expect(await textOf(html)).toBe('Title\nOne\ntwo\n\n- a\n\n- b\n& Akept');
  });

  it('keeps a < without a > after it as text, and takes an unclosed comment or script for a tag', async () => {
    expect(await textOf('1 < 2 <!-- open')).toBe('1 < 2 <!-- open');
    expect(await textOf('a <!-- open > b <script>c')).toBe('a b c');
  });

  // Patterns such as <[^>]*> try every < up to the end of the text: a 1 MB mail of them is
  // hours of work for the server. Each input below takes well under a second when each step
  // is linear; the call runs in a child process, killed if it goes on.
  it.each([
    ['unclosed <', '<'.repeat(1_000_000), '<'.repeat(1_000_000)],
    ['unclosed <!--', '<!--'.repeat(250_000), '<!--'.repeat(250_000)],
    ['<script> without its end tag', `${'<script>'.repeat(125_000)}end`, 'end'],
    ['unclosed <li and <br', '<li<br'.repeat(150_000), '<li<br'.repeat(150_000)],
  ])('takes time in proportion to a text of %s', async (_name, html, text) => {
    expect(await callInChild(HTML_TEXT, 'htmlToText', [html])).toBe(text);
  });
});
