// A tiny markdown-to-React renderer for the editor's live preview.
//
// Safe by construction: it never produces HTML strings. Every piece of text
// ends up as a React text node (escaped by React), and links are only made
// for http(s), mailto and same-site paths. Supported: headings (h2–h4, like
// the server), paragraphs, flat lists, bold, italic, inline code, code
// blocks, block quotes, horizontal rules, links and pipe tables. Anything
// else shows as plain text, which is good enough for a preview; the
// published page uses the server's sanitised HTML.

import type { ReactNode } from 'react';

/** href for a markdown link, or null when it must not become a link. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (u.startsWith('#')) return u;
  if (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\')) return u;
  try {
    const parsed = new URL(u);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'mailto:') return parsed.href;
  } catch {
    // not an absolute URL
  }
  return null;
}

const ESCAPABLE = /[\\`*_[\]()#+\-.!|>~]/;
const ALNUM = /[\p{L}\p{N}]/u;

/** Position of the closing emphasis marker, or -1. */
function findClosing(src: string, marker: string, from: number): number {
  let pos = src.indexOf(marker, from);
  while (pos !== -1) {
    const before = src[pos - 1] ?? '';
    const after = src[pos + marker.length] ?? '';
    const single = marker.length === 1;
    const okBefore = pos > from && !/\s/.test(before);
    const notDouble = !single || (after !== marker && before !== marker);
    const okAfter = marker[0] !== '_' || !ALNUM.test(after);
    if (okBefore && notDouble && okAfter) return pos;
    pos = src.indexOf(marker, pos + 1);
  }
  return -1;
}

/** Inline markdown → React nodes. */
export function renderInline(src: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let buf = '';
  let n = 0;
  const key = () => `${keyPrefix}-${n++}`;
  const flush = () => {
    if (buf) {
      out.push(buf);
      buf = '';
    }
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const next = src[i + 1] ?? '';
    if (ch === '\\' && ESCAPABLE.test(next)) {
      buf += next;
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push(<code key={key()}>{src.slice(i + 1, end)}</code>);
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const m = /^\[([^\]]+)\]\(\s*([^()\s]+)(?:\s+"[^"]*")?\s*\)/.exec(src.slice(i));
      if (m) {
        flush();
        const k = key();
        const href = safeHref(m[2]!);
        const label = renderInline(m[1]!, k);
        out.push(
          href ? (
            <a key={k} href={href} rel="noopener noreferrer">
              {label}
            </a>
          ) : (
            <span key={k}>{label}</span>
          ),
        );
        i += m[0].length;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const marker = next === ch ? ch + ch : ch;
      const start = i + marker.length;
      const prev = src[i - 1] ?? '';
      const opens = start < src.length && !/\s/.test(src[start]!) && (ch !== '_' || !ALNUM.test(prev));
      if (opens) {
        const end = findClosing(src, marker, start);
        if (end > start) {
          flush();
          const k = key();
          const inner = renderInline(src.slice(start, end), k);
          out.push(marker.length === 2 ? <strong key={k}>{inner}</strong> : <em key={k}>{inner}</em>);
          i = end + marker.length;
          continue;
        }
      }
      // An unmatched run of markers is text.
      buf += marker;
      i += marker.length;
      continue;
    }
    buf += ch;
    i += 1;
  }
  flush();
  return out;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += s[i];
  }
  cells.push(cur.trim());
  return cells;
}

function startsBlock(line: string, nextLine: string | undefined): boolean {
  return (
    HEADING.test(line) ||
    FENCE.test(line) ||
    BULLET.test(line) ||
    ORDERED.test(line) ||
    QUOTE.test(line) ||
    RULE.test(line) ||
    (line.includes('|') && nextLine !== undefined && TABLE_SEPARATOR.test(nextLine) && nextLine.includes('-'))
  );
}

export interface MarkdownOptions {
  /** Accessible name of the scroll region around each table. */
  tableLabel?: string;
}

/** Block markdown → React nodes. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): ReactNode[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: ReactNode[] = [];
  let i = 0;
  let n = 0;
  const key = () => `b-${n++}`;

  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++; // closing fence (or end)
      out.push(
        <pre key={key()}>
          <code>{body.join('\n')}</code>
        </pre>,
      );
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(4, Math.max(2, heading[1]!.length));
      const k = key();
      const content = renderInline(heading[2]!, k);
      out.push(level === 2 ? <h2 key={k}>{content}</h2> : level === 3 ? <h3 key={k}>{content}</h3> : <h4 key={k}>{content}</h4>);
      i++;
      continue;
    }

    if (RULE.test(line)) {
      out.push(<hr key={key()} />);
      i++;
      continue;
    }

    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      const header = splitRow(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) rows.push(splitRow(lines[i++]!));
      const k = key();
      out.push(
        <div key={k} className="kb-table-scroll" role="region" aria-label={options.tableLabel} tabIndex={0}>
          <table>
            <thead>
              <tr>
                {header.map((cell, c) => (
                  <th key={c} scope="col">
                    {renderInline(cell, `${k}-h${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  {header.map((_, c) => (
                    <td key={c}>{renderInline(row[c] ?? '', `${k}-${r}-${c}`)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
      continue;
    }

    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const m = pattern.exec(current);
        if (m) {
          items.push(m[1]!);
        } else if (current.trim() !== '' && /^\s+/.test(current) && items.length > 0) {
          items[items.length - 1] += ` ${current.trim()}`; // continuation line
        } else break;
        i++;
      }
      const k = key();
      const children = items.map((item, idx) => <li key={idx}>{renderInline(item, `${k}-${idx}`)}</li>);
      out.push(bullet ? <ul key={k}>{children}</ul> : <ol key={k}>{children}</ol>);
      continue;
    }

    if (QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(QUOTE.exec(lines[i++]!)![1]!);
      const k = key();
      out.push(<blockquote key={k}>{renderMarkdown(quoted.join('\n'), options)}</blockquote>);
      continue;
    }

    const para: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!, lines[i + 1])) para.push(lines[i++]!.trim());
    const k = key();
    out.push(<p key={k}>{renderInline(para.join(' '), k)}</p>);
  }
  return out;
}

/** The preview component. */
export function MarkdownPreview({ source, tableLabel, className }: { source: string; tableLabel?: string; className?: string }) {
  return <div className={className}>{renderMarkdown(source, { tableLabel })}</div>;
}
