import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { type NotesService, startNotesService } from '../src/service.js';
import { FREE_PORTS } from './helpers.js';

const MAX = 256 * 1024;

/** A text of `bytes` bytes in lines of 64 (the last one 64 to 127), ending with a line end. */
function text(bytes: number): string {
  const lines = `${'x'.repeat(63)}\n`.repeat(Math.floor(bytes / 64) - 1);
  return `${lines}${'y'.repeat(bytes - lines.length - 1)}\n`;
}

describe('the notes service at its note size limit over SMTP', () => {
  let dataDir: string;
  let service: NotesService;
  let client: Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-mail-limit-'));
    const config = readConfig({ ...FREE_PORTS, PARLEY_DATA_DIR: dataDir });
    service = await startNotesService({ config, log: () => {}, maxNoteBytes: MAX });
    client = createClient(smtp(service.urls.smtp));
  });

  afterAll(async () => {
    await client?.close();
    await service?.close({ timeoutMs: 2_000 });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores a mailed note of exactly the largest size, whole', async () => {
    const note = text(MAX);
    expect((await client.post('/notes', note, { headers: { subject: 'at-limit.txt' } })).status).toBe('ok');
    const stored = await readFile(join(dataDir, 'at-limit.txt'), 'utf8');
    expect(stored.length).toBe(MAX);
    expect(stored.replace(/\r\n/g, '\n')).toBe(note);
  });

  it('refuses a mailed note one byte over as too_large, and stores nothing', async () => {
    const reply = await client.post('/notes', text(MAX + 1), { headers: { subject: 'over-limit.txt' } });
    expect(reply.status).toBe('too_large');
    expect(await readdir(dataDir)).not.toContain('over-limit.txt');
  });
});
