import { QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useRef, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mentionNamesFromHtml } from '../chat/format';
import { createQueryClient } from '../../lib/queryClient';
import { mockFetch } from '../../test/utils';
import { MentionList, useMentionAutocomplete, type MentionPerson } from './MentionAutocomplete';

function Field({
  members,
  preferred,
  onSend,
}: {
  members?: MentionPerson[];
  preferred?: MentionPerson[];
  onSend: (body: string) => void;
}) {
  const [text, setText] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const mention = useMentionAutocomplete({ text, setText, inputRef: ref, members, preferred, excludeId: 'u-me' });
  return (
    <div className="composer__field">
      <MentionList mention={mention} label="Suggesties" />
      <textarea
        ref={ref}
        aria-label="Tekst"
        value={text}
        {...mention.inputProps}
        onChange={(event) => {
          setText(event.target.value);
          mention.onChange(event);
        }}
        onSelect={mention.onSelect}
        onFocus={mention.onFocus}
        onBlur={mention.onBlur}
        onKeyDown={mention.onKeyDown}
      />
      <button type="button" onClick={() => onSend(mention.encode(text))}>
        Verstuur
      </button>
    </div>
  );
}

function renderField(props: Parameters<typeof Field>[0]) {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  return render(
    <QueryClientProvider client={client}>
      <Field {...props} />
    </QueryClientProvider>,
  );
}

const names = () => screen.getAllByRole('option').map((o) => o.textContent);

describe('mention autocomplete', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('offers only the given members (not the user) and never asks the people search', async () => {
    // Fake timers that also run on their own, so that the search's debounce
    // can be passed at once at the end instead of waited for.
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const fetchMock = mockFetch({});
    let sent = '';
    renderField({
      members: [
        { id: 'u-me', name: 'Anouk de Vries' },
        { id: 'u-an', name: 'Anna Smit' },
        { id: 'u-jo', name: 'Johan Mulder' },
      ],
      onSend: (body) => (sent = body),
    });
    const field = screen.getByRole('textbox', { name: 'Tekst' });
    await userEvent.type(field, 'Hoi @an');
    expect(names()).toEqual(['Anna Smit', 'Johan Mulder']); // "an" is in "Johan" too
    // With the list open, well past the search's 200 ms debounce: still no search.
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.getByRole('listbox', { name: 'Suggesties' })).toBeInTheDocument();
    await userEvent.keyboard('{ArrowUp}{Enter}');
    expect(field).toHaveValue('Hoi @Johan Mulder ');
    await userEvent.click(screen.getByRole('button', { name: 'Verstuur' }));
    expect(sent).toBe('Hoi <@u-jo> ');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('lists preferred people first, adds the people search without duplicates, and picks with the mouse', async () => {
    mockFetch({
      '/api/v1/chat/people?q=Jo': {
        body: {
          items: [
            { id: 'u-me', name: 'Jolien (ik)', teams: [] },
            { id: 'u-jo', name: 'Johan Mulder', teams: [] },
            { id: 'u-jk', name: 'Joke Kok', teams: [] },
          ],
        },
      },
    });
    let sent = '';
    renderField({ preferred: [{ id: 'u-jo', name: 'Johan Mulder' }], onSend: (body) => (sent = body) });
    const field = screen.getByRole('textbox', { name: 'Tekst' });
    await userEvent.type(field, '@Jo');
    await waitFor(() => expect(names()).toEqual(['Johan Mulder', 'Joke Kok']));
    await userEvent.click(screen.getByRole('option', { name: 'Joke Kok' }));
    expect(field).toHaveValue('@Joke Kok ');
    expect(field).toHaveFocus();
    await userEvent.type(field, 'en @Joh');
    await userEvent.keyboard('{Tab}');
    expect(field).toHaveValue('@Joke Kok en @Johan Mulder ');
    await userEvent.click(screen.getByRole('button', { name: 'Verstuur' }));
    expect(sent).toBe('<@u-jk> en <@u-jo> ');
  });

  it('stays closed after Escape until a new mention is started', async () => {
    mockFetch({});
    renderField({ preferred: [{ id: 'u-an', name: 'Anna Smit' }], onSend: () => {} });
    const field = screen.getByRole('textbox', { name: 'Tekst' });
    await userEvent.type(field, '@A');
    expect(names()).toEqual(['Anna Smit']);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    expect(field).not.toHaveAttribute('aria-controls');
    await userEvent.type(field, ' @');
    expect(names()).toEqual(['Anna Smit']);
  });

  it('hides the list while the textarea does not have focus', async () => {
    mockFetch({});
    renderField({ preferred: [{ id: 'u-an', name: 'Anna Smit' }], onSend: () => {} });
    const field = screen.getByRole('textbox', { name: 'Tekst' });
    await userEvent.type(field, '@A');
    expect(names()).toEqual(['Anna Smit']);
    // (Tab would pick the suggestion.)
    await userEvent.click(screen.getByRole('button', { name: 'Verstuur' }));
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
    act(() => field.focus());
    expect(names()).toEqual(['Anna Smit']);
  });

  it('reads the names of mentions from the server rendering', () => {
    const html =
      '<p>Hoi <span class="mention" data-user="u0123456789abcdef01234567">@Anna Smit</span> en ' +
      '<span class="mention mention-team">@team</span></p>';
    expect([...mentionNamesFromHtml(html)]).toEqual([['u0123456789abcdef01234567', 'Anna Smit']]);
    expect(mentionNamesFromHtml('<p>geen</p>').size).toBe(0);
  });
});
