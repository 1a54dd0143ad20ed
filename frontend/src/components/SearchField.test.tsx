import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { SearchField } from './SearchField';

function Harness({ onClear }: { onClear?: () => void }) {
  const [value, setValue] = useState('');
  return (
    <div className="search-box" role="search">
      <SearchField
        label="Zoek een team"
        value={value}
        onValueChange={setValue}
        hint="Op naam of plaats"
        clear={{ label: 'Wissen', onClear: () => (setValue(''), onClear?.()) }}
        maxLength={200}
      />
    </div>
  );
}

describe('SearchField', () => {
  it('is a labelled search input described by its hint', () => {
    render(<Harness />);
    const input = screen.getByRole('searchbox', { name: 'Zoek een team' });
    expect(input).toHaveAccessibleDescription('Op naam of plaats');
    expect(input).toHaveClass('input', 'search-box__input');
    expect(input).toHaveAttribute('maxLength', '200');
  });

  it('shows the clear button only while there is text, and clearing empties the field', async () => {
    const onClear = vi.fn();
    render(<Harness onClear={onClear} />);
    expect(screen.queryByRole('button', { name: 'Wissen' })).not.toBeInTheDocument();
    await userEvent.type(screen.getByRole('searchbox'), 'Noord');
    expect(screen.getByRole('searchbox')).toHaveValue('Noord');
    await userEvent.click(screen.getByRole('button', { name: 'Wissen' }));
    expect(onClear).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('searchbox')).toHaveValue('');
    expect(screen.queryByRole('button', { name: 'Wissen' })).not.toBeInTheDocument();
  });

  it('has no description without a hint, and puts what comes after inside the control', () => {
    render(
      <form role="search">
        <SearchField label="Zoeken" value="" onValueChange={() => {}} after={<button type="submit">Zoek</button>} />
      </form>,
    );
    expect(screen.getByRole('searchbox', { name: 'Zoeken' })).not.toHaveAttribute('aria-describedby');
    expect(screen.getByRole('button', { name: 'Zoek' }).parentElement).toHaveClass('search-box__control');
  });
});
