import { createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';
import { requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { sleep } from './fixtures/tools.js';

const enabled = requireMosquitto();

/** A Parley server appending each POST to a note, on `url`; the notes live on across restarts. */
function appender(notes: Map<string, string>) {
  return createServer(
    createRouter()
      .post('/notes/:name', async (request) => {
        const name = request.params.name;
        notes.set(name, (notes.get(name) ?? '') + (await request.body.text()));
        return respond('ok');
      })
      .get('/notes/:name', async (request) => respond('ok', notes.get(request.params.name) ?? '')),
  );
}

/** Publishes a plain POST request with the retain flag, as `mosquitto_pub -r` does. */
async function publishRetained(brokerUrl: string, topic: string, text: string): Promise<void> {
  const client = await mqttjs.connectAsync(brokerUrl);
  await client.publishAsync(topic, text, { retain: true, qos: 1 });
  await client.endAsync();
}

/** Runs a server, publishes a retained POST, restarts the server: the note and the refusals reported. */
async function restartRuns(brokerUrl: string, prefix: string) {
  const notes = new Map<string, string>();
  const refused: string[] = [];
  const onMessageError = (error: Error) => refused.push(error.message);
  const first = appender(notes);
  await first.listen(mqtt(`${brokerUrl}/${prefix}`, { onMessageError }));
  await publishRetained(brokerUrl, `${prefix}/POST/notes/log.txt`, 'once;');
  for (let i = 0; i < 100 && notes.get('log.txt') === undefined; i++) await sleep(50);
  await first.close({ timeoutMs: 1_000 });
  // The server restarts: the broker hands it the retained message again on subscribing.
  const second = appender(notes);
  await second.listen(mqtt(`${brokerUrl}/${prefix}`, { onMessageError }));
  await sleep(1_000);
  await second.close({ timeoutMs: 1_000 });
  return { note: notes.get('log.txt'), refused };
}

describe('a request published with the retain flag', () => {
  it('on the embedded broker runs once, not again each time a server subscribes', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      expect(await restartRuns(broker.url, 'retained-aedes')).toEqual({
        note: 'once;',
        refused: ['A retained message is not run again as a request'],
      });
    } finally {
      await broker.close();
    }
  });

  it.runIf(enabled)('on mosquitto runs once, not again each time a server subscribes', async () => {
    const broker = await startMosquitto();
    try {
      expect(await restartRuns(broker.url, 'retained-mosq')).toEqual({
        note: 'once;',
        refused: ['A retained message is not run again as a request'],
      });
    } finally {
      await broker.stop();
    }
  });
});
