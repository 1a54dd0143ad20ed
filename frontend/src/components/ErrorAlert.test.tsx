import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import i18n from '../i18n';
import { ErrorAlert } from './ErrorAlert';

const ENGLISH = /\b(the|is|are|file|not|invalid|at most|characters|you|cannot|own)\b/i;

describe('ErrorAlert', () => {
  it('says a coded refusal and its field errors in Dutch, never the English detail', () => {
    const error = new ApiError(422, {
      code: 'validation',
      title: 'Invalid input',
      detail: 'One or more fields are invalid.',
      errors: [
        { field: 'title', code: 'too_long', message: 'at most 200 characters', params: { max: 200 } },
        { field: 'file', code: 'file_type_refused', message: 'this type of file is not accepted' },
        { field: 'audience.teams[2]', code: 'unknown', message: 'unknown team' },
        { field: 'body', code: 'required', message: 'is required' },
        { field: 'wibble', code: 'required', message: 'is required' },
      ],
    });
    render(<ErrorAlert error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Niet alles is goed ingevuld. Kijk de velden hieronder na.');
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'Titel: Maximaal 200 tekens.',
      expect.stringMatching(/^Bestand: Dit soort bestand kan hier niet/),
      'Teams: Dit bestaat niet (meer). Kies iets uit de lijst.',
      'Tekst: Vul dit in.',
      'Dit veld: Vul dit in.', // an unknown field's JSON name is not shown
    ]);
    expect(alert.textContent).not.toMatch(/Invalid input|One or more|at most|accepted|wibble|body/);
  });

  it('says a specific problem code in Dutch', () => {
    const error = new ApiError(403, {
      code: 'self_approval',
      title: 'Not allowed',
      detail: 'you cannot approve or reject your own change: another editor reviews it',
    });
    render(<ErrorAlert error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Je kunt je eigen wijziging niet zelf goedkeuren of afwijzen.');
    expect(alert.textContent).not.toMatch(ENGLISH);
  });

  it('fills in params of a problem code', () => {
    render(<ErrorAlert error={new ApiError(413, { code: 'file_too_large', params: { maxMb: 10 }, detail: 'The file may be at most 10 MB.' })} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Dit bestand is te groot: maximaal 10 MB.');
  });

  it('says a generic Dutch sentence for a code it does not know, never the English detail', () => {
    const error = new ApiError(409, {
      code: 'brand_new_rule',
      title: 'Conflict',
      detail: 'the frobnicator is engaged; disengage it first',
      errors: [{ field: 'frobnicator', code: 'brand_new_field_rule', message: 'must be disengaged' }],
    });
    render(<ErrorAlert error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Dit lukte niet. Probeer het opnieuw');
    expect(screen.getByRole('listitem')).toHaveTextContent('Dit veld: Deze waarde klopt niet.');
    expect(alert.textContent).not.toMatch(/Conflict|frobnicator|disengage|must be/);
  });

  it('speaks English when the reader chose English', async () => {
    await i18n.changeLanguage('en');
    render(<ErrorAlert error={new ApiError(422, { code: 'validation', errors: [{ field: 'title', code: 'too_long', message: 'x', params: { max: 80 } }] })} />);
    expect(screen.getByRole('listitem')).toHaveTextContent('Title: At most 80 characters.');
  });
});
