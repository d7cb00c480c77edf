import { expect, it } from 'vitest';
import { runExample } from '../../../test/support/run-example.js';

it('runs the FTP example: store, list, read, head, a missing file, delete', async () => {
  const { code, output } = await runExample(import.meta.url);
  expect(code, output).toBe(0);
  expect(output).toMatch(/stored: 'created'/);
  expect(output).toMatch(/listing: \[ 'hello\.txt \(14 bytes\)' \]/);
  expect(output).toMatch(/text: 'Hello over FTP'/);
  expect(output).toMatch(/size: '14'/);
  expect(output).toMatch(/missing: 'not_found'/);
  expect(output).toMatch(/removed: 'ok'/);
  expect(output).toMatch(/ftp PUT \/files\/hello\.txt created .* user=alice/);
});
