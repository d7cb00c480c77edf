import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient, createRouter, createServer, memory, respond, type Transport } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { type Conversation, formatConversations } from '../demo/trace.js';
import { ChangeFeed } from '../src/changes.js';
import { exercise } from '../src/demo/exercise.js';
import { cellText, formatTable, problems } from '../src/demo/table.js';
import { createMemoryStore } from '../src/memory-store.js';
import { createNotesRouter } from '../src/notes-router.js';
import { FREE_PORTS } from './helpers.js';

const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
let counter = 0;

async function serve(router: Parameters<typeof createServer>[0]): Promise<string> {
  const server = createServer(router);
  return (await server.listen(memory(`memory://notes-demo-${++counter}`))).url;
}

/** A transport like `memory` whose contract carries POST only, as SMTP's does. */
function postOnly(url: string): Transport {
  const inner = memory(url);
  return { ...inner, contract: { ...inner.contract, protocol: 'post-only', methods: ['POST'] } };
}

describe('the demo exercise', () => {
  it('gets the expected outcome for every operation against the notes service', async () => {
    const url = await serve(createNotesRouter({ store: createMemoryStore(), feed: new ChangeFeed() }));
    const outcomes = await exercise(createClient(memory(url)));
    expect(outcomes.map((o) => [o.operation, o.status, o.expected])).toEqual([
      ['PUT /notes/<name>', 'created', true],
      ['GET /notes/<name>', 'ok', true],
      ['HEAD /notes/<name>', 'ok', true],
      ['LIST /notes/', 'ok', true],
      ['POST /notes/<name> (append)', 'ok', true],
      ['POST /notes (create)', 'created', true],
      ['DELETE /notes/<name>', 'no_content', true],
      ['GET of the deleted note', 'not_found', true],
    ]);
  });

  it('counts a refusal of what the contract does not carry as expected, shown as not carried', async () => {
    const url = await serve(createNotesRouter({ store: createMemoryStore(), feed: new ChangeFeed() }));
    const outcomes = await exercise(createClient(postOnly(url)));
    expect(outcomes.filter((o) => o.status === 'unsupported')).toHaveLength(6);
    expect(outcomes.every((o) => o.expected)).toBe(true);
    expect(cellText(outcomes[0])).toBe('- (not carried)');
    expect(problems(new Map([['post-only', outcomes]]))).toEqual([]);
  });

  it('flags wrong statuses and wrong content', async () => {
    const url = await serve(
      createRouter().route('GET', '/notes/:name', async () => respond('ok', 'something else')),
    );
    const outcomes = await exercise(createClient(memory(url)));
    const found = problems(new Map([['memory', outcomes]]));
    expect(found).toContain('memory: PUT /notes/<name>: method_not_allowed (expected a success)');
    expect(found).toContain(
      'memory: GET /notes/<name>: ok (expected "hello over memory\\n", got "something else")',
    );
    expect(found).toContain('memory: GET of the deleted note: ok (expected not_found)');
    expect(formatTable(new Map([['memory', outcomes]]))).toContain('! method_not_allowed');
  });
});

describe('pnpm demo', () => {
  it('runs end to end over the five transports on free ports and exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-demo-'));
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'demo.ts'], {
        cwd: exampleDir,
        env: { ...process.env, ...FREE_PORTS, PARLEY_DATA_DIR: dataDir },
        timeout: 120_000,
      });
      expect(stdout).toContain('Started the notes service in this process');
      expect(stdout).toMatch(/operation\s+http\s+ws\s+ftp\s+smtp\s+mqtt/);
      expect(stdout).toMatch(/PUT \/notes\/<name>\s+created\s+created\s+\S+\s+- \(not carried\)\s+created/);
      expect(stdout).toMatch(/POST \/notes \(create\)\s+created\s+created\s+\S+\s+ok\s+created/);
      expect(stdout).toContain('Every cell is as expected');
      expect(stdout).not.toContain('! ');
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('pnpm demo --trace', () => {
  it("lays out each protocol's write and read side by side, wrapping lines to the width", () => {
    const conversation: Conversation = {
      protocol: 'ftp',
      write: {
        call: 'PUT /notes/a.txt',
        outcome: 'created',
        lines: ['> STOR /notes/a.txt', `< ${'x'.repeat(80)}`],
        expected: true,
      },
      read: { call: 'GET /notes/a.txt', outcome: 'ok: "a"', lines: ['> RETR /notes/a.txt'], expected: true },
    };
    const text = formatConversations([conversation], 80);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^== FTP =+$/);
    expect(lines[1]).toMatch(/^PUT \/notes\/a\.txt +\| GET \/notes\/a\.txt$/);
    expect(text).toMatch(/^> STOR \/notes\/a\.txt +\| > RETR \/notes\/a\.txt$/m);
    expect(text).toMatch(/^= created +\| *$|^= created$/m);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it("shows one PUT and one GET on each wire from the clients' trace hook, in 120 columns", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-demo-'));
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'demo.ts', '--trace'], {
        cwd: exampleDir,
        env: { ...process.env, ...FREE_PORTS, PARLEY_DATA_DIR: dataDir },
        timeout: 240_000,
      });
      const blocks = stdout.split(/^== /m).slice(1);
      expect(blocks.map((block) => block.slice(0, block.indexOf(' ')))).toEqual([
        'HTTP',
        'WS',
        'FTP',
        'SMTP',
        'MQTT',
      ]);
      const [overHttp, overWs, overFtp, overSmtp, overMqtt] = blocks as [
        string,
        string,
        string,
        string,
        string,
      ];
      expect(overHttp).toMatch(
        /> PUT \/notes\/trace-http\.txt HTTP\/1\.1 +\| > GET \/notes\/trace-http\.txt HTTP\/1\.1/,
      );
      expect(overHttp).toMatch(/< HTTP\/1\.1 201 +\| < HTTP\/1\.1 200/);
      expect(overWs).toMatch(/^> HEADERS id=\d+ PUT \/notes\/trace-ws\.txt body=14B END/m);
      expect(overWs).toMatch(/\| > HEADERS id=\d+ GET \/notes\/trace-ws\.txt/);
      expect(overWs).toMatch(/^= created +\|/m);
      expect(overWs).toMatch(/\| = ok: "hello over ws\\n"/);
      expect(overFtp).toMatch(/> PASS \*\*\*\*/);
      expect(overFtp).toMatch(/> STOR \/notes\/trace-ftp\.txt/);
      expect(overFtp).toMatch(/\| > RETR \/notes\/trace-ftp\.txt/);
      expect(overSmtp).toMatch(/^POST \/notes \(subject: trace-smtp\.txt; no PUT over smtp\) +\| GET/m);
      expect(overSmtp).toMatch(/> RCPT TO:<notes@localhost>/);
      expect(overSmtp).toMatch(/\| = not carried: refused by the client, nothing sent/);
      expect(overMqtt).toMatch(/> PUBLISH topic=notes-service\/PUT\/notes\/trace-mqtt\.txt/);
      expect(overMqtt).toMatch(/\| > PUBLISH topic=notes-service\/GET\/notes\/trace-mqtt\.txt/);
      expect(stdout).toMatch(/= ok: "hello over mqtt\\n"/);
      expect(stdout).not.toContain('Not as expected');
      expect(Math.max(...stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
