import { useEffect, useState } from 'react';

/**
 * `value`, once it has stopped changing for `ms`: a search typed letter by
 * letter asks the server (which records every people search in the access
 * log) once, not once a letter.
 */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}
