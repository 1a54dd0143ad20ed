import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import '../i18n';
import { type QueryLike, QueryView } from './QueryView';

function query<T>(over: Partial<QueryLike<T>>): QueryLike<T> {
  return { isPending: false, isError: false, data: undefined, error: null, refetch: vi.fn(), ...over };
}

const list = (items: string[]) => (
  <ul>
    {items.map((s) => (
      <li key={s}>{s}</li>
    ))}
  </ul>
);

describe('QueryView', () => {
  it('says it is loading, politely, while pending', () => {
    render(<QueryView query={query<string[]>({ isPending: true })} loading="Berichten laden…">{list}</QueryView>);
    expect(screen.getByRole('status')).toHaveTextContent('Berichten laden…');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the error in Dutch with a retry that refetches', async () => {
    const q = query<string[]>({ isError: true, error: new ApiError(403, { code: 'forbidden', title: 'Forbidden' }) });
    render(<QueryView query={q} loading="Laden…" errorTitle="Kon niet laden">{list}</QueryView>);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Kon niet laden');
    expect(alert.textContent).not.toMatch(/Forbidden/);
    await userEvent.click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(q.refetch).toHaveBeenCalledTimes(1);
  });

  it('says an empty array with the empty text, as a muted paragraph', () => {
    const { container } = render(
      <QueryView query={query<string[]>({ data: [] })} loading="Laden…" empty="Nog niets.">
        {list}
      </QueryView>,
    );
    expect(container.querySelector('p.muted')).toHaveTextContent('Nog niets.');
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('uses isEmpty and takes an element as the empty part', () => {
    render(
      <QueryView
        query={query({ data: { items: [] as string[] } })}
        loading="Laden…"
        empty={<div data-testid="none">Leeg</div>}
        isEmpty={(d) => d.items.length === 0}
      >
        {(d) => list(d.items)}
      </QueryView>,
    );
    expect(screen.getByTestId('none')).toHaveTextContent('Leeg');
  });

  it('renders the content for the data, and an empty array without empty text goes to children', () => {
    const { rerender } = render(
      <QueryView query={query({ data: ['a', 'b'] })} loading="Laden…" empty="Nog niets.">
        {list}
      </QueryView>,
    );
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['a', 'b']);
    rerender(<QueryView query={query<string[]>({ data: [] })} loading="Laden…">{list}</QueryView>);
    expect(screen.getByRole('list')).toBeEmptyDOMElement();
  });
});
