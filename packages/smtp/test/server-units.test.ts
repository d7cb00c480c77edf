import { HeaderMap } from '@parley/core';
import { describe, expect, it } from 'vitest';
import {
  fieldValue,
  headerFieldList,
  headerFieldValue,
  headerFieldValues,
  withoutField,
} from '../src/mail-headers.js';
import { enhancedCodeEnd } from '../src/server/enhanced-code.js';
import { HeaderBlock } from '../src/server/header-block.js';
import { acceptedReply, replyFor } from '../src/server/reply.js';

describe('header block parsing', () => {
  it('lists fields in order, trimmed, with their case; leaves out lines without a colon or a valid name', () => {
    const block = [
      'From: <a@example.org>',
      'Subject:   spaced out  ',
      'no colon here',
      ': empty name',
      'Bad Name: has a space',
      'X-Empty:',
      'Message-Id: <1@x>',
    ].join('\r\n');
    expect(headerFieldList(block)).toEqual([
      'From',
      '<a@example.org>',
      'Subject',
      'spaced out',
      'X-Empty',
      '',
      'Message-Id',
      '<1@x>',
    ]);
  });

  it('unfolds folded lines, decodes encoded words and reads bare LF line ends', () => {
    const block = 'Subject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=\nX-Long: one\r\n two\r\n\tthree\nTo: b@x';
    expect(headerFieldList(block)).toEqual([
      'Subject',
      'Hello wörld',
      'X-Long',
      'one two\tthree',
      'To',
      'b@x',
    ]);
  });

  it('trims white space of any kind at the ends of names and values, as String.prototype.trim does', () => {
    expect(headerFieldList('X-A:\u00a0 value \u3000\r\nX-B: \t\u00e9t\u00e9 \r\nX-C:\u00a0')).toEqual([
      'X-A',
      'value',
      'X-B',
      '\u00e9t\u00e9',
      'X-C',
      '',
    ]);
  });

  it('unfolds before it looks for the name, as a folded line is one field', () => {
    expect(headerFieldList('X-A\r\n\t: v\r\nSub\r\n ject: x\r\n Lead: y\r\nTo: a\r\n  b\r\n')).toEqual([
      'X-A',
      'v',
      'To',
      'a  b',
    ]);
    expect(headerFieldList(' Lead: y')).toEqual(['Lead', 'y']);
  });

  it('takes a colon only from its own line', () => {
    expect(headerFieldList('first line\r\nsecond: yes\r\nthird\r\n')).toEqual(['second', 'yes']);
    expect(headerFieldList('')).toEqual([]);
    expect(headerFieldList('a\r\nb\r\nc')).toEqual([]);
  });

  it('finds a field without regard to case, joining repeats as a HeaderMap does', () => {
    const fields = headerFieldList('Received: one\r\nX-A: 1\r\nRECEIVED: two');
    expect(fieldValue(fields, 'received')).toBe('one, two');
    expect(fieldValue(fields, 'x-a')).toBe('1');
    expect(fieldValue(fields, 'x-b')).toBeUndefined();
    expect(
      fieldValue(headerFieldList('Message-Id: <a@b>\r\nMESSAGE-ID: <c@d>\r\nMessage-Ie: x'), 'message-id'),
    ).toBe('<a@b>, <c@d>');
    expect(fieldValue(headerFieldList('Message[Id: x\r\nMessage{id: y'), 'message{id')).toBe('y');
    expect(HeaderMap.fromFlat(fields).get('Received')).toBe('one, two');
  });

  it('drops every occurrence of a field', () => {
    const fields = headerFieldList(
      'Content-Transfer-Encoding: base64\r\nTo: a\r\ncontent-transfer-encoding: x',
    );
    expect(withoutField(fields, 'content-transfer-encoding')).toEqual(['To', 'a']);
  });

  it('reads a block of many lines without colons in one pass', () => {
    const block = `${'x\r\n'.repeat(20_000)}Subject: last`;
    expect(headerFieldList(block)).toEqual(['Subject', 'last']);
  });
});

describe('enhanced status code of a reply text', () => {
  it.each([
    ['2.0.0 OK <id>', 5],
    ['5.7.1 mail to /fail is refused', 5],
    ['4.5.3 Too many', 5],
    ['5.123.456 long', 9],
    ['2.0.0 ', 5],
  ])('finds the end of the code in %j', (text, end) => {
    expect(enhancedCodeEnd(text)).toBe(end);
  });

  it.each([
    'OK: message queued',
    '3.0.0 not a class',
    '2.0.0',
    '2.0.0x text',
    '5.1234.1 too long',
    '5..1 no digits',
    '5.1. empty detail',
    '',
  ])('finds none in %j', (text) => {
    expect(enhancedCodeEnd(text)).toBe(-1);
  });
});

describe('the reply to an accepted message', () => {
  it.each([
    '<1@x>',
    '',
    ' <1@x>',
    '<1@x> ',
    '<a  b@x>',
    '<a\tb@x>',
    `<${'x'.repeat(194)}>`,
    `<${'x'.repeat(195)}>`,
    `<${'x'.repeat(300)}>`,
  ])('is what replyFor makes of OK and the id %j', (messageId) => {
    expect(acceptedReply(messageId)).toBe(replyFor('ok', `OK ${messageId}`));
  });
});

describe('one field of a header block', () => {
  it('has the value headerFieldList and fieldValue give, without the list', () => {
    const blocks = [
      'From: <a@example.org>\r\nMessage-Id: <1@x>\r\nSubject: s',
      'message-id:<a@b>\r\nMESSAGE-ID:  <c@d>  \r\nMessage-Ie: x',
      'Message-Id: <folded@x>\r\n continued\r\n\tagain\r\nTo: a',
      'Subject: =?UTF-8?B?w6l0w6k=?=\r\nMessage-Id: =?UTF-8?Q?caf=C3=A9?=',
      '\u00a0Message-Id\u00a0: <nbsp@x>\r\nMessage-Id\u3000: <ideographic@x>',
      ' Message-Id : <spaced@x>\r\nMessage Id: <not a name>\r\nMessage-Idx: y',
      'Content-Transfer-Encoding: BASE64 \r\nno colon\r\n: empty name',
      'Message-Id',
      '',
    ];
    for (const block of blocks) {
      const names = ['message-id', 'content-transfer-encoding', 'subject', 'message-ie'];
      const fields = headerFieldList(block);
      for (const name of names) {
        expect(headerFieldValue(block, name), `${name} in ${JSON.stringify(block)}`).toBe(
          fieldValue(fields, name),
        );
      }
      expect(headerFieldValues(block, names)).toEqual(names.map((name) => fieldValue(fields, name)));
      const head = new HeaderBlock(block);
      expect(names.map((name) => head.value(name))).toEqual(names.map((name) => fieldValue(fields, name)));
    }
  });

  it('is left out, as from the fields, for the encoding of content handed over decoded', () => {
    const block = new HeaderBlock('Content-Transfer-Encoding: base64\r\nMessage-Id: <1@x>');
    block.decoded = true;
    expect(block.value('content-transfer-encoding')).toBeUndefined();
    expect(block.value('message-id')).toBe('<1@x>');
    expect(block.fields()).toEqual(['Message-Id', '<1@x>']);
    const raw = new HeaderBlock('Content-Transfer-Encoding: base64');
    expect(raw.value('content-transfer-encoding')).toBe('base64');
    expect(raw.fields()).toEqual(['Content-Transfer-Encoding', 'base64']);
  });
});
