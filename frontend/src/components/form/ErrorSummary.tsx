import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import './form.css';

/** One line of the summary; `target` is the id of the control it links to (none: plain text). */
export interface SummaryItem {
  message: string;
  target?: string;
  key?: string;
}

interface ErrorSummaryProps {
  title: ReactNode;
  items?: SummaryItem[];
  /**
   * Take focus again whenever this changes (e.g. a count of submit attempts,
   * or the request's error); a list of such values, always of one length.
   */
  focusKey?: unknown;
  className?: string;
  testId?: string;
  /** Under the title, above the links. */
  children?: ReactNode;
}

/** Focus the control a summary link names and bring it (with its label) into view. */
function jumpTo(event: MouseEvent<HTMLAnchorElement>, target: string) {
  const element = document.getElementById(target);
  if (!element) return;
  event.preventDefault();
  element.focus();
  const label = 'labels' in element ? (element as HTMLInputElement).labels?.[0] : undefined;
  (label ?? element).scrollIntoView?.({ block: 'start' });
}

/**
 * What is wrong with a form, at its top: a title and a link to each field in
 * error. It takes focus when it appears (and when focusKey changes) so that
 * keyboard and screen-reader users hear it at once; a link focuses its field
 * without changing the address, as GOV.UK's and the NL Design System's
 * error summaries do.
 */
export function ErrorSummary({ title, items = [], focusKey, className, testId, children }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, Array.isArray(focusKey) ? focusKey : [focusKey]);
  return (
    <div
      ref={ref}
      className={className ? `error-summary ${className}` : 'error-summary'}
      role="alert"
      tabIndex={-1}
      data-testid={testId}
    >
      <p className="error-summary__title">{title}</p>
      {children}
      {items.length > 0 && (
        <ul className="error-summary__list">
          {items.map((item, i) => (
            <li key={item.key ?? `${item.target ?? ''}:${i}`}>
              {item.target ? (
                <a href={`#${item.target}`} onClick={(e) => jumpTo(e, item.target!)}>
                  {item.message}
                </a>
              ) : (
                item.message
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
