import type { ReactNode } from 'react';

interface PageHeaderProps {
  /** The page's h1. */
  title: ReactNode;
  /** A line under the title (`page-header__intro`). */
  intro?: ReactNode;
  /** A small line above the title: where the page sits (a link back, type, round). */
  meta?: ReactNode;
  /** Extra class beside `page-header`. */
  className?: string;
  /** What else the header holds after the intro: actions, tabs, a status. */
  children?: ReactNode;
}

/** The top of a page: an optional meta line, the h1, an optional intro and whatever follows. */
export function PageHeader({ title, intro, meta, className, children }: PageHeaderProps) {
  return (
    <header className={className ? `page-header ${className}` : 'page-header'}>
      {meta !== undefined && <p className="card__meta">{meta}</p>}
      <h1>{title}</h1>
      {intro !== undefined && <p className="page-header__intro">{intro}</p>}
      {children}
    </header>
  );
}
