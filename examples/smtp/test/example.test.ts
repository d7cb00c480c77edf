import { expect, it } from 'vitest';
import { runExample } from '../../../test/support/run-example.js';

it('runs the SMTP example: the note is acknowledged with 250 and lands in the inbox', async () => {
  const { code, output } = await runExample(import.meta.url);
  expect(code, output).toBe(0);
  expect(output).toMatch(/status: 'ok'/);
  expect(output).toMatch(/reply: '250 2\.0\.0 OK <.+>'/);
  expect(output).toMatch(/smtp POST \/notes\/hello\.txt ok/);
  expect(output).toMatch(/text: 'Hello over SMTP'/);
});
