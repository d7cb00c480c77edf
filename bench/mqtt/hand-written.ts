import mqttjs, { type MqttClient } from 'mqtt';

/** A request/response pair written directly on MQTT.js: the baseline Parley is measured against. */
export interface HandWritten {
  /** Sends one request and resolves with the reply payload. */
  call(): Promise<Buffer>;
  close(): Promise<void>;
}

const PREFIX = 'bench-raw';

/**
 * Starts a responder and a requester. MQTT 5: Response Topic + Correlation Data. MQTT 3.1.1: the
 * payload starts with `<replyTopic> <id>\n` and the reply with `<id>\n` (the least a 3.1.1
 * request/response loop must carry).
 */
export async function startHandWritten(url: string, version: 4 | 5): Promise<HandWritten> {
  const responder = await connect(url, version);
  const requester = await connect(url, version);
  const replyTopic = `${PREFIX}/reply/${requester.options.clientId}`;
  responder.on('message', (_topic, payload, packet) => {
    if (version === 5) {
      const { responseTopic, correlationData } = packet.properties ?? {};
      if (responseTopic === undefined) return;
      responder.publish(responseTopic, 'pong', { qos: 1, properties: { correlationData } });
      return;
    }
    const newline = payload.indexOf(10);
    const [topic, id] = payload.subarray(0, newline).toString().split(' ');
    if (topic !== undefined) responder.publish(topic, `${id}\npong`, { qos: 1 });
  });
  await responder.subscribeAsync(`${PREFIX}/req/#`, { qos: 1 });
  const pending = new Map<string, (payload: Buffer) => void>();
  requester.on('message', (_topic, payload, packet) => {
    if (version === 5) {
      const id = packet.properties?.correlationData?.toString() ?? '';
      pending.get(id)?.(payload);
      pending.delete(id);
      return;
    }
    const newline = payload.indexOf(10);
    const id = payload.subarray(0, newline).toString();
    pending.get(id)?.(payload.subarray(newline + 1));
    pending.delete(id);
  });
  await requester.subscribeAsync(replyTopic, { qos: 1 });
  let next = 0;
  return {
    call() {
      const id = String(++next);
      return new Promise<Buffer>((resolve) => {
        pending.set(id, resolve);
        if (version === 5) {
          const properties = { responseTopic: replyTopic, correlationData: Buffer.from(id) };
          requester.publish(`${PREFIX}/req/echo`, 'ping', { qos: 1, properties });
        } else {
          requester.publish(`${PREFIX}/req/echo`, `${replyTopic} ${id}\nping`, { qos: 1 });
        }
      });
    },
    async close() {
      await Promise.all([responder.endAsync(), requester.endAsync()]);
    },
  };
}

async function connect(url: string, version: 4 | 5): Promise<MqttClient> {
  const client = await mqttjs.connectAsync(url, { protocolVersion: version, reconnectPeriod: 0 });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}
