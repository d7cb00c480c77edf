import type { Client } from '@parley/core';
import { byId, element } from './dom.js';

interface Entry {
  readonly name: string;
  readonly type: string;
  readonly size?: number;
  readonly modified?: string;
}

const rows = byId<HTMLTableSectionElement>('notes');
let generation = 0;

/** Lists `/notes/` and renders it; of overlapping refreshes only the latest renders. */
export async function refreshNotes(client: Client): Promise<void> {
  const mine = ++generation;
  const entries = (await (await client.list('/notes/')).body.json()) as Entry[];
  if (mine !== generation) return;
  rows.replaceChildren(
    ...entries
      .filter((entry) => entry.type === 'file')
      .map((entry) => {
        const row = element('tr');
        row.dataset.name = entry.name;
        const link = element('a', entry.name);
        link.href = `/notes/${encodeURIComponent(entry.name)}`;
        const name = element('td');
        name.append(link);
        row.append(
          name,
          element('td', String(entry.size ?? ''), 'size'),
          element('td', entry.modified ?? ''),
        );
        return row;
      }),
  );
}
