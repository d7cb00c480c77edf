import mqttjs, { type MqttClient } from 'mqtt';

/** A request/response pair written directly on MQTT.js: the baseline Parley is measured against. */
export interface HandWritten {
  /** Sends one request and resolves with the reply payload. */
  call(): Promise<Buffer>;
  close(): Promise<void>;
}

const PREFIX = 'bench-manual';
const EXPIRY_SECONDS = 30;

/**
 * Starts a responder and a requester that carry what Parley carries for `GET /echo` answered
 * `ok` with `pong`, at the same QoS 1, so both put the same packets of the same sizes on the wire:
 *
 * - MQTT 5: the request has Response Topic, Correlation Data and Message Expiry Interval and an
 *   empty payload; the reply has Correlation Data and the `status` and `reason-code` user
 *   properties.
 * - MQTT 3.1.1: the payload starts with the same one-line JSON envelope Parley writes
 *   (`{"parley","replyTo","id","deadline"}` for the request, `{"parley","id","status"}` for the
 *   reply) and a line feed, and both sides parse it.
 */
export async function startHandWritten(url: string, version: 4 | 5): Promise<HandWritten> {
  const responder = await connect(url, version);
  const requester = await connect(url, version);
  const replyTopic = `${PREFIX}/reply/${requester.options.clientId}`;
  responder.on('message', (_topic, payload, packet) => {
    if (version === 5) {
      const { responseTopic, correlationData } = packet.properties ?? {};
      if (responseTopic === undefined) return;
      const userProperties = { status: 'ok', 'reason-code': '0' };
      responder.publish(responseTopic, 'pong', {
        qos: 1,
        properties: { ...(correlationData === undefined ? {} : { correlationData }), userProperties },
      });
      return;
    }
    const newline = payload.indexOf(10);
    const header = JSON.parse(payload.subarray(0, newline).toString()) as { replyTo: string; id: string };
    responder.publish(header.replyTo, `${JSON.stringify({ parley: 1, id: header.id, status: 'ok' })}\npong`, {
      qos: 1,
    });
  });
  await responder.subscribeAsync(`${PREFIX}/GET/#`, { qos: 1 });
  const pending = new Map<string, (payload: Buffer) => void>();
  const settle = (id: string, payload: Buffer): void => {
    pending.get(id)?.(payload);
    pending.delete(id);
  };
  requester.on('message', (_topic, payload, packet) => {
    if (version === 5) {
      settle(packet.properties?.correlationData?.toString() ?? '', payload);
      return;
    }
    const newline = payload.indexOf(10);
    const header = JSON.parse(payload.subarray(0, newline).toString()) as { id: string };
    settle(header.id, payload.subarray(newline + 1));
  });
  await requester.subscribeAsync(replyTopic, { qos: 1 });
  let next = 0;
  return {
    call() {
      const id = (++next).toString(36);
      return new Promise<Buffer>((resolve) => {
        pending.set(id, resolve);
        if (version === 5) {
          const properties = {
            responseTopic: replyTopic,
            correlationData: Buffer.from(id),
            messageExpiryInterval: EXPIRY_SECONDS,
          };
          requester.publish(`${PREFIX}/GET/echo`, '', { qos: 1, properties });
        } else {
          const deadline = Date.now() + EXPIRY_SECONDS * 1000;
          const envelope = `${JSON.stringify({ parley: 1, replyTo: replyTopic, id, deadline })}\n`;
          requester.publish(`${PREFIX}/GET/echo`, envelope, { qos: 1 });
        }
      });
    },
    async close() {
      await Promise.all([responder.endAsync(), requester.endAsync()]);
    },
  };
}

/** Connects with a client id as long as Parley's (`parley-` and 16 hex digits), Nagle off. */
async function connect(url: string, version: 4 | 5): Promise<MqttClient> {
  const clientId = `manual-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}${Date.now().toString(16).slice(-8)}`;
  const client = await mqttjs.connectAsync(url, { protocolVersion: version, reconnectPeriod: 0, clientId });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}
