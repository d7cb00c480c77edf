import { HeaderMap, STATUSES } from '@parley/core';
import {
  eventFilter,
  eventTopic,
  REASON_CODE_TO_STATUS,
  reasonCodeToStatus,
  replyStatus,
  requestTopic,
  statusToReasonCode,
} from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, isEnvelope } from '../src/envelope.js';
import { PacketSizeScanner } from '../src/packet-size-scanner.js';
import { parseRequestTopic, plainReplyTopic } from '../src/topics.js';
import { parseTarget } from '../src/url.js';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from '../src/wire.js';

describe('topics', () => {
  it('puts method and path in the request topic and reads them back', () => {
    expect(requestTopic('notes-service', 'GET', '/notes/hello.txt')).toBe(
      'notes-service/GET/notes/hello.txt',
    );
    expect(parseRequestTopic('notes-service', 'notes-service/GET/notes/hello.txt')).toEqual({
      method: 'GET',
      path: '/notes/hello.txt',
    });
    expect(parseRequestTopic('notes-service', 'notes-service/LIST/notes/')).toEqual({
      method: 'LIST',
      path: '/notes/',
    });
    expect(parseRequestTopic('notes-service', 'notes-service/PATCH/x')).toBeUndefined();
  });

  it('encodes MQTT wildcards and % in paths so any path round-trips', () => {
    const path = '/a+b/c#d/50%/q?x';
    const topic = requestTopic('p', 'PUT', path);
    expect(topic).toBe('p/PUT/a%2Bb/c%23d/50%25/q%3Fx');
    expect(topic).not.toMatch(/[+#]/);
    expect(parseRequestTopic('p', topic)).toEqual({ method: 'PUT', path });
    expect(() => parseRequestTopic('p', 'p/GET/bad%zz')).toThrow(/malformed/);
  });

  it('refuses a path too long for a topic', () => {
    expect(() => requestTopic('p', 'GET', `/${'x'.repeat(70_000)}`)).toThrow(/too long/);
  });

  it('maps path patterns to topic filters', () => {
    expect(eventTopic('svc', '/notes/a.txt')).toBe('svc/events/notes/a.txt');
    expect(eventFilter('svc', '/notes/:name')).toBe('svc/events/notes/+');
    expect(eventFilter('svc', '/notes/*')).toBe('svc/events/notes/#');
    expect(eventFilter('svc', '/a+b/:x/*')).toBe('svc/events/a%2Bb/+/#');
  });

  it('parses URLs: prefix, credentials, no credentials in the public URL', () => {
    const target = parseTarget('mqtt://alice:s%40cret@127.0.0.1:1883/notes-service/');
    expect(target).toMatchObject({
      host: '127.0.0.1',
      port: 1883,
      prefix: 'notes-service',
      url: 'mqtt://127.0.0.1:1883/notes-service',
    });
    expect(target.credentials).toEqual({ kind: 'password', username: 'alice', password: 's@cret' });
    expect(() => parseTarget('mqtt://127.0.0.1:1883')).toThrow(/no service prefix/);
    expect(() => parseTarget('mqtt://127.0.0.1:1883/a/+')).toThrow(/may not hold/);
    expect(() => parseTarget('http://127.0.0.1/x')).toThrow(/mqtt:\/\//);
  });
});

describe('status map', () => {
  it('maps every status to a reason code and back through the status property', () => {
    for (const status of STATUSES) {
      expect(typeof statusToReasonCode(status)).toBe('number');
      if (status !== 'unsupported')
        expect(replyStatus(status, String(statusToReasonCode(status)))).toBe(status);
    }
  });

  it('maps reason codes to statuses, for replies without a status property and broker refusals', () => {
    expect(reasonCodeToStatus(0x87)).toBe('forbidden');
    expect(reasonCodeToStatus(0x95)).toBe('too_large');
    expect(reasonCodeToStatus(0x10)).toBe('unavailable');
    expect(reasonCodeToStatus(0x42)).toBe('internal');
    expect(replyStatus(undefined, '144')).toBe('not_found');
    expect(replyStatus(undefined, undefined)).toBe('ok');
    expect(replyStatus('no-such-status', undefined)).toBe('internal');
    expect(REASON_CODE_TO_STATUS.get(0x00)).toBe('ok');
    expect(statusToReasonCode('precondition_failed')).toBe(0x83);
    expect(replyStatus('precondition_failed', '131')).toBe('precondition_failed');
  });
});

describe('envelope (MQTT 3.1.1)', () => {
  it('keeps every byte value of the body', () => {
    const body = Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff));
    const encoded = Buffer.from(encodeEnvelope({ id: '7', status: 'ok' }, body));
    expect(encoded.subarray(0, 11).toString()).toBe('{"parley":1');
    const decoded = decodeEnvelope(encoded);
    expect(decoded.header).toEqual({ id: '7', status: 'ok' });
    expect(decoded.body.equals(body)).toBe(true);
  });

  it('writes the fields of a header in one order, strings escaped as JSON', () => {
    const header = { headers: { 'x-a': 'é"' }, deadline: 5, id: 'k', replyTo: 'svc/reply/c1' };
    const encoded = Buffer.from(encodeEnvelope(header, Buffer.from('body')));
    expect(encoded.toString()).toBe(
      '{"parley":1,"replyTo":"svc/reply/c1","id":"k","deadline":5,"headers":{"x-a":"é\\""}}\nbody',
    );
    expect(decodeEnvelope(encoded).header).toEqual(header);
  });

  it('carries a request and its reply: reply topic, correlation, deadline, headers, no credentials', () => {
    const out = encodeRequest(4, 1, {
      replyTo: 'svc/reply/c1',
      id: 'k9',
      headers: new HeaderMap({ 'x-a': '1' }),
      deadline: Date.now() + 5000,
      body: Buffer.from('{"json":"with\\nnewline"}\n'),
    });
    expect(out.options.properties).toBeUndefined();
    // MQTT.js hands received payloads out as Buffers.
    const request = decodeRequest(
      Buffer.from(out.payload),
      { properties: undefined } as never,
      'svc/reply/GET/x',
    );
    expect(request).toMatchObject({ replyTo: 'svc/reply/c1', envelope: true, plain: false });
    expect(Buffer.from(out.payload).toString()).not.toMatch(/authorization|Basic/);
    expect(request?.headers.get('x-a')).toBe('1');
    expect(request?.deadline).toBeGreaterThan(Date.now());
    expect(request?.deadline).toBeLessThanOrEqual(Date.now() + 5000);
    expect(request?.body.toString()).toBe('{"json":"with\\nnewline"}\n');
    if (request === undefined) return;
    const reply = encodeReply(request, 1, 'not_found', new HeaderMap({ 'x-b': '2' }), Buffer.from('gone'));
    const decoded = decodeReply(Buffer.from(reply.payload), { properties: undefined } as never);
    expect(decoded).toMatchObject({ id: 'k9', status: 'not_found' });
    expect(decoded?.headers.get('x-b')).toBe('2');
  });

  it("writes envelopes into Node.js's buffer pool, which MQTT.js publishes without memory of their own", () => {
    const out = encodeRequest(4, 1, {
      replyTo: 'svc/reply/c1',
      id: 'k9',
      headers: new HeaderMap(),
      deadline: Date.now() + 5000,
      body: new Uint8Array(0),
    });
    // A Buffer on the pool's ArrayBuffer: no ArrayBuffer of its own was made for it.
    expect(Buffer.isBuffer(out.payload)).toBe(true);
    expect(out.payload.buffer.byteLength).toBe(Buffer.poolSize);
    const request = decodeRequest(
      Buffer.from(out.payload),
      { properties: undefined } as never,
      'svc/reply/x',
    );
    const reply = encodeReply(request, 1, 'ok', new HeaderMap(), Buffer.from('pong'));
    expect(reply.payload.buffer.byteLength).toBe(Buffer.poolSize);
    expect(decodeReply(reply.payload, { properties: undefined } as never)).toMatchObject({
      id: 'k9',
      status: 'ok',
    });
    expect(reply.payload.subarray(reply.payload.indexOf(10) + 1).toString()).toBe('pong');
  });

  it('answers a plain message (no response topic, no envelope) on the plain reply topic, raw', () => {
    expect(plainReplyTopic('svc', 'svc/GET/notes/a.txt')).toBe('svc/reply/GET/notes/a.txt');
    const request = decodeRequest(
      Buffer.from('hello'),
      { properties: undefined } as never,
      'svc/reply/PUT/a',
    );
    expect(request).toMatchObject({ replyTo: 'svc/reply/PUT/a', envelope: false, correlation: undefined });
    expect(request.body.toString()).toBe('hello');
    const reply = encodeReply(request, 1, 'created', new HeaderMap(), Buffer.from('stored'));
    expect(reply.payload.toString()).toBe('stored');
  });

  it('takes only a payload starting with the marker for an envelope; plain JSON bodies stay bodies', () => {
    for (const body of [
      '{\n "a": 1\n}\n',
      '{"replyTo":"svc/reply/x","id":"1"}\nbody',
      '{ "parley": 1 }\n',
      '{"parley":12}\n',
    ]) {
      expect(isEnvelope(Buffer.from(body))).toBe(false);
      const request = decodeRequest(
        Buffer.from(body),
        { properties: undefined } as never,
        'svc/reply/PUT/p.json',
      );
      expect(request).toMatchObject({ replyTo: 'svc/reply/PUT/p.json', envelope: false, plain: true });
      expect(request.body.toString()).toBe(body);
    }
    expect(isEnvelope(Buffer.from('{"parley":1}\n'))).toBe(true);
    expect(isEnvelope(Buffer.from('{"parley":1,"id":"1"}\n'))).toBe(true);
  });

  it('refuses a malformed envelope: bad JSON, unknown fields, wrong types, no reply topic', () => {
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,not json\nbody'))).toThrow(/not valid JSON/);
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,"authorization":"Basic YTpi"}\n'))).toThrow(
      /unknown field "authorization"/,
    );
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,"deadline":"soon"}\n'))).toThrow(/"deadline"/);
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,"headers":{"a":1}}\n'))).toThrow(/"headers"/);
    expect(() => decodeEnvelope(Buffer.from('{"parley":1}'))).toThrow(/no envelope/);
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,"__proto__":{"id":"x"}}\n'))).toThrow(
      /unknown field "__proto__"/,
    );
    expect(() => decodeEnvelope(Buffer.from('{"parley":1,"parley":2}\n'))).toThrow(/"parley"/);
    expect(() =>
      decodeRequest(
        Buffer.from('{"parley":1,"id":"1"}\n'),
        { properties: undefined } as never,
        'svc/reply/GET/x',
      ),
    ).toThrow(/without a reply topic/);
  });
});

describe('packet size scanner', () => {
  /** A packet with a fixed header announcing `length` bytes, and those bytes. */
  const packet = (length: number): Buffer => {
    const header = [0x30];
    let rest = length;
    do {
      let byte = rest % 128;
      rest = Math.floor(rest / 128);
      if (rest > 0) byte |= 0x80;
      header.push(byte);
    } while (rest > 0);
    return Buffer.concat([Buffer.from(header), Buffer.alloc(length, 1)]);
  };

  it('follows packets across chunk boundaries, one byte at a time too', () => {
    const stream = Buffer.concat([packet(0), packet(127), packet(128), packet(16_383), packet(1000)]);
    // The largest packet: 16 383 bytes after a fixed header of three.
    const whole = new PacketSizeScanner(16_386);
    expect(whole.scan(stream)).toBe(true);
    const bytewise = new PacketSizeScanner(16_386);
    let accepted = true;
    for (let i = 0; i < stream.length; i++) accepted &&= bytewise.scan(stream.subarray(i, i + 1));
    expect(accepted).toBe(true);
  });

  it('refuses a packet announcing more than the limit from its fixed header alone', () => {
    // The limit counts the whole packet: 1000 bytes after a fixed header of three.
    const scanner = new PacketSizeScanner(1003);
    expect(scanner.scan(packet(1000))).toBe(true);
    expect(scanner.scan(packet(10))).toBe(true);
    expect(scanner.scan(Buffer.from([0x30, 0xe9]))).toBe(true); // length not finished yet
    expect(scanner.scan(Buffer.from([0x07]))).toBe(false); // 1001 after three: 1004
    expect(new PacketSizeScanner(1e9).scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]))).toBe(false);
  });
});
