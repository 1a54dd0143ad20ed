import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PageHeader } from './PageHeader';

describe('PageHeader', () => {
  it('puts the meta line, the one h1, the intro and the rest in order in a banner', () => {
    render(
      <PageHeader title="Audits" intro="Rondes en acties." meta={<a href="/audits">Audits</a>} className="extra">
        <button type="button">Nieuwe ronde</button>
      </PageHeader>,
    );
    const header = screen.getByRole('banner');
    expect(header).toHaveClass('page-header', 'extra');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Audits');
    expect(Array.from(header.children).map((el) => el.tagName + (el.className ? `.${el.className}` : ''))).toEqual([
      'P.card__meta',
      'H1',
      'P.page-header__intro',
      'BUTTON',
    ]);
  });

  it('is only the h1 when nothing else is given', () => {
    render(<PageHeader title="Zoeken" />);
    const header = screen.getByRole('banner');
    expect(header.className).toBe('page-header');
    expect(header.children).toHaveLength(1);
  });
});
