import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';

/** What QueryView reads of a TanStack query (useQuery's result fits). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  data: T | undefined;
  error: unknown;
  refetch: () => unknown;
}

interface QueryViewProps<T> {
  query: QueryLike<T>;
  /** Said (politely, with a spinner) while the query is pending. */
  loading: string;
  /** Heading of the error alert; ErrorAlert's general one by default. */
  errorTitle?: string;
  /**
   * Shown instead of children when the data is empty; a string becomes a
   * muted paragraph. Without it an empty result goes to children.
   */
  empty?: ReactNode;
  /** When the data counts as empty; by default an array with nothing in it. */
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

const emptyArray = (data: unknown) => Array.isArray(data) && data.length === 0;

/**
 * The switch every list and panel makes around a query: a polite loading
 * status, then an error alert with "Opnieuw proberen", then (optionally) the
 * empty text, then the content for the data.
 */
export function QueryView<T>({ query, loading, errorTitle, empty, isEmpty = emptyArray, children }: QueryViewProps<T>) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.isError) return <ErrorAlert error={query.error} title={errorTitle} onRetry={() => void query.refetch()} />;
  const data = query.data as T;
  if (empty !== undefined && isEmpty(data)) {
    return typeof empty === 'string' ? <p className="muted">{empty}</p> : <>{empty}</>;
  }
  return <>{children(data)}</>;
}
