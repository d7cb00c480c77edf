import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MessageReader, type OnHead } from '../src/server/message-reader.js';

const OPTIONS = { maxMessageBytes: 1 << 20, maxHeaderBytes: 64 << 10, raw: false };

/** What a reader handed to its head receiver, once it did. */
function headOf(): {
  receiver: OnHead;
  handed: Promise<{ fields: string[] | undefined; complete: Buffer | undefined }>;
} {
  let resolve: (value: { fields: string[] | undefined; complete: Buffer | undefined }) => void = () => {};
  const handed = new Promise<{ fields: string[] | undefined; complete: Buffer | undefined }>((r) => {
    resolve = r;
  });
  return {
    receiver: { head: (_error, head, complete) => resolve({ fields: head?.fields(), complete }) },
    handed,
  };
}

async function chunksOf(reader: MessageReader): Promise<string> {
  let text = '';
  for await (const chunk of reader) text += chunk.toString();
  return text;
}

describe('a message reader hands the head over', () => {
  it('with the whole body when the message ends in the chunk that ends its header block', async () => {
    const source = new PassThrough();
    const { receiver, handed } = headOf();
    new MessageReader(source, OPTIONS, receiver);
    source.write('Subject: small\r\n\r\nthe whole body\r\n');
    source.end();
    const { fields, complete } = await handed;
    expect(fields).toEqual(['Subject', 'small']);
    expect(complete?.toString()).toBe('the whole body\r\n');
  });

  it('streaming, without waiting for more, when the message goes on', async () => {
    const source = new PassThrough();
    const { receiver, handed } = headOf();
    const reader = new MessageReader(source, OPTIONS, receiver);
    source.write('Subject: long\r\n\r\nfirst part, ');
    const { fields, complete } = await handed;
    expect(fields).toEqual(['Subject', 'long']);
    expect(complete).toBeUndefined();
    const body = chunksOf(reader);
    source.end('second part\r\n');
    expect(await body).toBe('first part, second part\r\n');
  });

  it('streaming when the next chunk comes before the end', async () => {
    const source = new PassThrough();
    const { receiver, handed } = headOf();
    const reader = new MessageReader(source, OPTIONS, receiver);
    source.write('Subject: two\r\n\r\none, ');
    source.write('two\r\n');
    source.end();
    const { complete } = await handed;
    expect(complete).toBeUndefined();
    expect(await chunksOf(reader)).toBe('one, two\r\n');
  });

  it('streaming in order when chunks wait for a consumer that reads between their arrivals', async () => {
    const source = new PassThrough();
    const { receiver, handed } = headOf();
    const reader = new MessageReader(source, OPTIONS, receiver);
    source.write('Subject: order\r\n\r\na');
    await handed;
    source.write('b');
    source.write('c');
    await new Promise((resolve) => setImmediate(resolve));
    const read: string[] = [];
    read.push(String((await reader.next()).value));
    source.write('d');
    await new Promise((resolve) => setImmediate(resolve));
    read.push(String((await reader.next()).value));
    source.write('e');
    source.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.join('') + (await chunksOf(reader))).toBe('abcde');
    expect(reader.finished).toBe(true);
  });

  it('decoded and whole when a small message is base64', async () => {
    const source = new PassThrough();
    const { receiver, handed } = headOf();
    new MessageReader(source, OPTIONS, receiver);
    source.end(
      `Content-Transfer-Encoding: base64\r\nSubject: b\r\n\r\n${Buffer.from('décodé').toString('base64')}\r\n`,
    );
    const { fields, complete } = await handed;
    expect(fields).toEqual(['Subject', 'b']);
    expect(complete?.toString()).toBe('décodé');
  });
});
