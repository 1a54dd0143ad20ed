import { useDocumentTitle } from '../../lib/useDocumentTitle';

/** Sets the document title from inside a branch of a component (hooks cannot be conditional). */
export function DocumentTitle({ title }: { title: string }) {
  useDocumentTitle(title);
  return null;
}
