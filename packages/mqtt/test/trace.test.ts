import type { Packet } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { summarize } from '../src/trace.js';

describe('MQTT packet summaries for the trace', () => {
  it('show CONNECT with its version, keep-alive and user, never the password', () => {
    const connect = {
      cmd: 'connect',
      clientId: 'parley-1',
      protocolVersion: 4,
      keepalive: 30,
      username: 'demo',
      password: Buffer.from('s3cret'),
    } as unknown as Packet;
    const line = summarize(connect, undefined);
    expect(line).toBe('CONNECT client=parley-1 version=4 keepalive=30s user=demo password=****');
    expect(line).not.toContain('s3cret');
  });

  it('show PUBLISH with topic, QoS, packet id and payload size', () => {
    const publish = { cmd: 'publish', topic: 'svc/GET/a.txt', qos: 1, messageId: 7 } as unknown as Packet;
    expect(summarize(publish, 12)).toBe('PUBLISH topic=svc/GET/a.txt qos=1 id=7 payload=12B');
  });
});
