import { type ReactNode, useId } from 'react';

interface TableRegionProps {
  /** The table's caption; it also names the scrollable region. */
  caption: ReactNode;
  /** The region's name when it should differ from the caption. */
  label?: string;
  /** Class of the scrolling wrapper; `table-scroll` by default. */
  wrapClassName?: string;
  /** Class of the table. */
  className?: string;
  'data-testid'?: string;
  /** thead, tbody (and tfoot). */
  children: ReactNode;
}

/**
 * A captioned table in a wrapper that scrolls sideways on a narrow screen.
 * The wrapper is a named region that takes focus (tabIndex 0), so a
 * keyboard user can scroll it too.
 */
export function TableRegion({ caption, label, wrapClassName = 'table-scroll', className, 'data-testid': testId, children }: TableRegionProps) {
  const captionId = useId();
  return (
    <div
      className={wrapClassName}
      role="region"
      aria-label={label}
      aria-labelledby={label === undefined ? captionId : undefined}
      tabIndex={0}
    >
      <table className={className} data-testid={testId}>
        <caption id={captionId}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
