import { snippetSegments } from './format';
import type { Snippet } from './types';

/** A search snippet with its matches in <mark>: built from text + ranges, never from HTML. */
export function SnippetText({ snippet }: { snippet: Snippet }) {
  const segments = snippetSegments(snippet);
  return (
    <>
      {segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}
