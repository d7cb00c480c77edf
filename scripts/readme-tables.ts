/**
 * Renders the README's generated tables (statuses across protocols, and what each transport's
 * contract carries) from the status maps and contracts themselves, so the README cannot drift.
 *
 * `pnpm readme:tables` rewrites them in place; the README test fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STATUSES, type TransportContract } from '@parley/core';
import { FTP_CONTRACT, FTP_STATUS_TABLE } from '@parley/ftp';
import { HTTP_CONTRACT, HTTP_STATUS_CODES } from '@parley/http';
import { MQTT_CONTRACT, STATUS_TO_REASON_CODE } from '@parley/mqtt';
import { SMTP_CONTRACT, STATUS_TO_SMTP } from '@parley/smtp';
import { WS_CONTRACT } from '@parley/ws';

const CONTRACTS: readonly TransportContract[] = [
  HTTP_CONTRACT,
  FTP_CONTRACT,
  SMTP_CONTRACT,
  MQTT_CONTRACT,
  WS_CONTRACT,
];

/** One markdown table row. */
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** The status table: each Parley status as each protocol sends it. */
export function statusTable(): string {
  const lines = [
    row(['Parley status', 'HTTP', 'FTP', 'SMTP', 'MQTT (`status` property + reason code)']),
    row(['---', '---', '---', '---', '---']),
  ];
  for (const status of STATUSES) {
    if (status === 'unsupported') continue;
    const ftp = FTP_STATUS_TABLE.find((entry) => entry.status === status);
    const smtp = STATUS_TO_SMTP[status];
    const mark = (contract: TransportContract, text: string) =>
      contract.statuses.includes(status) ? text : `${text} ¹`;
    const reason = `0x${STATUS_TO_REASON_CODE[status].toString(16).padStart(2, '0').toUpperCase()}`;
    lines.push(
      row([
        `\`${status}\``,
        String(HTTP_STATUS_CODES[status]),
        ftp === undefined
          ? '-'
          : ftp.phrase === undefined
            ? String(ftp.code)
            : `${ftp.code} "${ftp.phrase}: ..."`,
        mark(SMTP_CONTRACT, `${smtp.code} ${smtp.enhanced}`),
        mark(MQTT_CONTRACT, reason),
      ]),
    );
  }
  lines.push(row(['`unsupported`', 'never sent: the client refuses before the network', '', '', '']));
  return lines.join('\n');
}

/** The contract table: what each transport carries. */
export function contractTable(): string {
  const yes = (value: boolean) => (value ? 'yes' : 'no');
  const lines = [
    row(['', ...CONTRACTS.map((contract) => contract.protocol)]),
    row(['---', ...CONTRACTS.map(() => '---')]),
    row(['methods', ...CONTRACTS.map((contract) => contract.methods.join(', '))]),
    row(['reply', ...CONTRACTS.map((contract) => contract.reply)]),
    row(['request headers', ...CONTRACTS.map((contract) => yes(contract.requestHeaders))]),
    row(['response headers', ...CONTRACTS.map((contract) => yes(contract.responseHeaders))]),
    row(['streaming bodies', ...CONTRACTS.map((contract) => yes(contract.streaming))]),
    row(['events', ...CONTRACTS.map((contract) => yes(contract.events))]),
    row(['auth', ...CONTRACTS.map((contract) => contract.auth.join(', ') || '-')]),
    row(['tls', ...CONTRACTS.map((contract) => contract.tls.join(', ') || '-')]),
  ];
  return lines.join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function fillSection(readme: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`README has no ${name} section`);
  return `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}

/** The README with every generated table filled in. */
export function renderReadme(readme: string): string {
  return fillSection(fillSection(readme, 'status-table', statusTable()), 'contract-table', contractTable());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = fileURLToPath(new URL('../README.md', import.meta.url));
  writeFileSync(path, renderReadme(readFileSync(path, 'utf8')));
}
