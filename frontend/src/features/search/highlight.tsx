import type { Snippet } from './types';

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Split a snippet into plain and highlighted parts from its [start, end)
 * UTF-16 ranges. Ranges are clamped to the text, sorted and merged when they
 * overlap; empty or inverted ranges are ignored. Only text comes out: the
 * caller renders it as React text, never as HTML.
 */
export function highlightSegments(text: string, marks: readonly (readonly [number, number])[] | null | undefined): Segment[] {
  const length = text.length;
  const ranges = (marks ?? [])
    .filter((m) => Array.isArray(m) && Number.isFinite(m[0]) && Number.isFinite(m[1]))
    .map(([a, b]) => [Math.max(0, Math.min(length, Math.floor(a))), Math.max(0, Math.min(length, Math.floor(b)))] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);

  const merged: [number, number][] = [];
  for (const [a, b] of ranges) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }

  const out: Segment[] = [];
  let pos = 0;
  for (const [a, b] of merged) {
    if (a > pos) out.push({ text: text.slice(pos, a), mark: false });
    out.push({ text: text.slice(a, b), mark: true });
    pos = b;
  }
  if (pos < length) out.push({ text: text.slice(pos), mark: false });
  return out;
}

export function Highlighted({ snippet }: { snippet: Snippet }) {
  return (
    <>
      {highlightSegments(snippet.text ?? '', snippet.marks).map((segment, index) =>
        segment.mark ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}
