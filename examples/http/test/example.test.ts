import { expect, it } from 'vitest';
import { runExample } from '../../../test/support/run-example.js';

it('runs the HTTP example end to end: store, read, list, delete, a missing note', async () => {
  const { code, output } = await runExample(import.meta.url);
  expect(code, output).toBe(0);
  expect(output).toMatch(/stored: 'created'/);
  expect(output).toMatch(/text: 'Hello over HTTP'/);
  expect(output).toMatch(/listing: \[ 'hello\.txt \(15 bytes\)' \]/);
  expect(output).toMatch(/removed: 'no_content'/);
  expect(output).toMatch(/missing: 'not_found'/);
  expect(output).toMatch(/http PUT \/notes\/hello\.txt created [\d.]+ms/);
  expect(output).toMatch(/http GET \/notes\/hello\.txt not_found/);
});
