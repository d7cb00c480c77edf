import { expect, it } from 'vitest';
import { runExample } from '../../../test/support/run-example.js';

it('runs the MQTT example end to end and exits 0', async () => {
  const { code, output: stdout } = await runExample(import.meta.url);
  expect(code, stdout).toBe(0);
  expect(stdout).toContain('GET /notes/hello.txt -> ok: Hello over MQTT!');
  expect(stdout).toContain('PUT /notes/mqtt.txt -> created');
  expect(stdout).toContain('LIST /notes/ -> hello.txt (16 bytes), mqtt.txt (50 bytes)');
  expect(stdout).toContain('GET /notes/nope.txt -> not_found');
  expect(stdout).toMatch(/mqtt GET \/notes\/hello\.txt ok/);
  expect(stdout).toContain('done');
});
