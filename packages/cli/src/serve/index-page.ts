import type { Entry } from '@parley/core';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * The HTML index of a folder, for browsers; `leftOut` entries whose names no link could name
 * (not UTF-8, or with control, bidirectional or invisible characters) are counted below it.
 */
export function indexPage(path: string, entries: readonly Entry[], leftOut = 0): string {
  const base = path.endsWith('/') ? path : `${path}/`;
  // Every segment escaped, the folder's own too: a `?`, `#` or `%` in a name is not URL syntax.
  const href = base.split('/').map(encodeURIComponent).join('/');
  const rows = entries.map((entry) => {
    const name = entry.type === 'directory' ? `${entry.name}/` : entry.name;
    return `<li><a href="${escapeHtml(href + encodeURIComponent(entry.name))}${entry.type === 'directory' ? '/' : ''}">${escapeHtml(name)}</a></li>`;
  });
  const up = base === '/' ? '' : '<li><a href="../">../</a></li>';
  const note =
    leftOut === 0
      ? ''
      : `<p>${leftOut === 1 ? '1 entry' : `${leftOut} entries`} left out: names that are not UTF-8, or hold control, bidirectional or invisible characters, cannot be served.</p>\n`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Index of ${escapeHtml(base)}</title></head>
<body><h1>Index of ${escapeHtml(base)}</h1>
<ul>${up}${rows.join('')}</ul>
${note}</body></html>
`;
}
