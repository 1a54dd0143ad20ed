import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { addDays, amsterdamToday, checkPeriod, defaultQuery, paramsFromQuery, queryFromParams } from './filters';
import { formatAt } from './format';
import {
  ACCESS_LOG,
  ANOUK_ID,
  BRAM_ID,
  PEOPLE,
  anouk,
  baseTable,
  entry,
  firstPage,
  mockApi,
  olderPage,
  renderApp,
} from './testing';

const PAGE = '/beheer/toegangslog';

/** The query of the n-th (default: last) access-log request as an object. */
function sent(calls: { url: URL }[], n = calls.length - 1): Record<string, string> {
  const call = calls[n];
  if (!call) throw new Error(`no access-log request #${n}`);
  return Object.fromEntries(call.url.searchParams);
}

describe('access log: period and URL helpers', () => {
  it('defaults to the last 7 days in Amsterdam, today included', () => {
    // 23:30 UTC is already the next day in Amsterdam.
    expect(amsterdamToday(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(defaultQuery(new Date('2026-11-23T10:00:00Z'))).toEqual({
      from: '2026-11-17',
      to: '2026-11-23',
      user: '',
      action: '',
      subject: '',
    });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('reads and writes the Dutch URL parameters', () => {
    const defaults = defaultQuery(new Date('2026-11-23T10:00:00Z'));
    const query = queryFromParams(new URLSearchParams('actie=export&wie=u1&onderwerp=team%3Ax'), defaults);
    expect(query).toEqual({ from: '2026-11-17', to: '2026-11-23', user: 'u1', action: 'export', subject: 'team:x' });
    expect(paramsFromQuery(query).toString()).toBe('van=2026-11-17&tot=2026-11-23&actie=export&wie=u1&onderwerp=team%3Ax');
  });

  it('checks the period as the server does: real dates, in order, at most 31 days', () => {
    expect(checkPeriod({ from: '2026-11-01', to: '2026-12-01' })).toEqual([]);
    expect(checkPeriod({ from: '2026-11-01', to: '2026-12-02' })).toEqual([{ field: 'to', problem: 'tooLong' }]);
    expect(checkPeriod({ from: '2026-11-02', to: '2026-11-01' })).toEqual([{ field: 'to', problem: 'endBeforeStart' }]);
    expect(checkPeriod({ from: '', to: '2026-02-31' })).toEqual([
      { field: 'from', problem: 'badDate' },
      { field: 'to', problem: 'badDate' },
    ]);
  });

  it('formats times in Dutch, Amsterdam time, with seconds', () => {
    expect(formatAt('2026-11-23T14:09:51Z')).toBe('23-11-2026 15:09:51');
    expect(formatAt('2026-07-01T22:00:05Z')).toBe('02-07-2026 00:00:05');
  });
});

describe('access log page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the entries of the last 7 days to an administrator', async () => {
    const api = mockApi({ ...baseTable(), [ACCESS_LOG]: { body: firstPage } });
    renderApp(PAGE);

    expect(await screen.findByRole('heading', { level: 1, name: 'Toegangslog' })).toBeInTheDocument();
    expect(screen.getByText(/Ook dit overzicht wordt vastgelegd/)).toBeInTheDocument();
    const table = await screen.findByTestId('al-table');
    const rows = within(table).getAllByTestId('al-row');
    expect(rows).toHaveLength(2);

    const first = within(rows[0]!);
    expect(first.getByText('23-11-2026 15:09:51')).toHaveAttribute('datetime', '2026-11-23T14:09:51Z');
    expect(first.getByText('Anouk de Vries')).toBeInTheDocument();
    expect(first.getByText('Bekijken')).toBeInTheDocument();
    expect(first.getByText('team:julianadorp members')).toBeInTheDocument();
    expect(first.getByText('GET /api/v1/teams/:id')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Zoeken')).toBeInTheDocument();
    expect(within(rows[1]!).getByText(`namens ${'u0000000000000000000000a1'}`)).toBeInTheDocument();

    const today = amsterdamToday();
    expect(api.calls(ACCESS_LOG)).toHaveLength(1);
    expect(sent(api.calls(ACCESS_LOG))).toEqual({ from: addDays(today, -6), to: today, limit: '50' });
    expect(screen.getByLabelText('Van')).toHaveValue(addDays(today, -6));
    expect(screen.getByLabelText('Tot en met')).toHaveValue(today);
    expect(screen.getByTestId('al-count')).toHaveTextContent('2 regels getoond. Er zijn oudere regels.');
    expect(document.title).toBe('Toegangslog · Plein');
  });

  it('writes the filters into the URL and asks the server for them', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...baseTable(),
      [ACCESS_LOG]: { body: firstPage },
      [PEOPLE]: ({ url }) => ({
        body: {
          items:
            url.searchParams.get('q') === 'bra'
              ? [{ id: BRAM_ID, name: 'Bram Jansen', teams: ['Den Helder-Centrum'] }]
              : [],
        },
      }),
    });
    const { router } = renderApp(PAGE);
    await screen.findByTestId('al-table');

    fireEvent.change(screen.getByLabelText('Van'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Tot en met'), { target: { value: '2026-11-20' } });
    await user.selectOptions(screen.getByLabelText('Actie'), 'Zoeken');
    await user.type(screen.getByLabelText('Onderwerp'), ' users q=jan ');
    await user.type(screen.getByLabelText('Zoek een medewerker'), 'bra');
    await user.click(await screen.findByRole('button', { name: 'Kies Bram Jansen' }));
    expect(screen.getByTestId('al-person-chosen')).toHaveTextContent('Bram Jansen');
    // Picking does not search yet: the form is sent with the button.
    expect(api.calls(ACCESS_LOG)).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Toon toegang' }));

    await waitFor(() =>
      expect(router.state.location.search).toBe(
        `?van=2026-11-01&tot=2026-11-20&actie=search&wie=${BRAM_ID}&onderwerp=users+q%3Djan`,
      ),
    );
    await waitFor(() => expect(api.calls(ACCESS_LOG)).toHaveLength(2));
    expect(sent(api.calls(ACCESS_LOG))).toEqual({
      from: '2026-11-01',
      to: '2026-11-20',
      action: 'search',
      user: BRAM_ID,
      subject: 'users q=jan',
      limit: '50',
    });
    // The form shows what the URL says, the person by name.
    expect(await screen.findByTestId('al-person-chosen')).toHaveTextContent('Bram Jansen');
    expect(screen.getByLabelText('Actie')).toHaveValue('search');

    // Everyone again.
    await user.click(screen.getByRole('button', { name: 'Keuze Bram Jansen wissen, iedereen tonen' }));
    expect(screen.getByLabelText('Zoek een medewerker')).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Toon toegang' }));
    await waitFor(() => expect(router.state.location.search).not.toContain('wie='));
    await waitFor(() => expect(api.calls(ACCESS_LOG)).toHaveLength(3));
    expect(sent(api.calls(ACCESS_LOG)).user).toBeUndefined();
  });

  it('follows the URL: filters from a link are sent and shown', async () => {
    const api = mockApi({ ...baseTable(), [ACCESS_LOG]: { body: { items: [entry({ action: 'export' })], next: '' } } });
    renderApp(`${PAGE}?van=2026-11-10&tot=2026-11-12&actie=export&wie=${ANOUK_ID}&onderwerp=team%3Ajulianadorp+members`);

    await screen.findByTestId('al-table');
    expect(sent(api.calls(ACCESS_LOG))).toEqual({
      from: '2026-11-10',
      to: '2026-11-12',
      action: 'export',
      user: ANOUK_ID,
      subject: 'team:julianadorp members',
      limit: '50',
    });
    expect(screen.getByLabelText('Van')).toHaveValue('2026-11-10');
    expect(screen.getByLabelText('Onderwerp')).toHaveValue('team:julianadorp members');
    // The name comes from the entries.
    expect(screen.getByTestId('al-person-chosen')).toHaveTextContent('Anouk de Vries');
    expect(screen.getByTestId('al-count')).toHaveTextContent('1 regel getoond. Dit zijn alle regels in deze periode.');
    expect(screen.queryByTestId('al-more')).not.toBeInTheDocument();
    expect(screen.getByText('Toegang van 10-11-2026 tot en met 12-11-2026, nieuwste eerst')).toBeInTheDocument();
  });

  it('"Meer laden" asks for older entries with before=<next>', async () => {
    const user = userEvent.setup();
    const api = mockApi({
      ...baseTable(),
      [ACCESS_LOG]: ({ url }) => ({ body: url.searchParams.get('before') ? olderPage : firstPage }),
    });
    renderApp(`${PAGE}?van=2026-11-17&tot=2026-11-23&actie=read`);

    await screen.findByTestId('al-table');
    expect(screen.getAllByTestId('al-row')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Meer laden' }));

    await waitFor(() => expect(screen.getAllByTestId('al-row')).toHaveLength(3));
    const calls = api.calls(ACCESS_LOG);
    expect(calls).toHaveLength(2);
    expect(sent(calls, 1)).toEqual({
      from: '2026-11-17',
      to: '2026-11-23',
      action: 'read',
      before: firstPage.next,
      limit: '50',
    });
    expect(within(screen.getAllByTestId('al-row')[2]!).getByText('Exporteren')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Meer laden' })).not.toBeInTheDocument();
  });

  it('tells someone who is no administrator, and asks the server nothing', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true }); // to run every pending timer at once below
    const api = mockApi({ ...baseTable(anouk), [ACCESS_LOG]: { body: firstPage } });
    renderApp(PAGE);

    expect(await screen.findByText('Alleen voor beheerders')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Toegangslog' })).toBeInTheDocument();
    expect(screen.queryByTestId('al-filters')).not.toBeInTheDocument();
    // Run every pending timer and promise: a stray request would be made now.
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(api.calls(ACCESS_LOG)).toHaveLength(0);
  });

  it('shows the same message when the server says 403 (roles changed)', async () => {
    mockApi({
      ...baseTable(),
      [ACCESS_LOG]: { status: 403, body: { title: 'Forbidden', status: 403, detail: 'only administrators review the access log' } },
    });
    renderApp(PAGE);
    expect(await screen.findByText('Alleen voor beheerders')).toBeInTheDocument();
  });

  it('shows a 422 field error beside the date field it is about', async () => {
    mockApi({
      ...baseTable(),
      [ACCESS_LOG]: {
        status: 422,
        body: {
          code: 'validation',
          title: 'Invalid input',
          status: 422,
          errors: [
            { field: 'to', code: 'span_too_long', message: 'choose at most 31 days', params: { max: 31 } },
            { field: 'limit', code: 'out_of_range', message: 'use a number from 1 to 200', params: { min: 1, max: 200 } },
          ],
        },
      },
    });
    // A period our own check accepts; the server has the last word.
    renderApp(`${PAGE}?van=2026-11-01&tot=2026-11-23`);

    const message = await screen.findByTestId('al-error-to');
    expect(message).toHaveTextContent('Kies een periode van maximaal 31 dagen.');
    const to = screen.getByLabelText('Tot en met');
    expect(to).toHaveAttribute('aria-invalid', 'true');
    expect(to.getAttribute('aria-describedby')?.split(' ')).toContain(message.id);
    expect(screen.getByLabelText('Van')).not.toHaveAttribute('aria-invalid');
    // The summary above the fields takes focus, links to the field, and names what has no field of its own.
    const alert = screen.getByTestId('al-filter-problem');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(alert).toHaveFocus();
    expect(alert).toHaveTextContent('Controleer de filters');
    expect(within(alert).getByRole('link', { name: 'Kies een periode van maximaal 31 dagen.' })).toHaveAttribute('href', `#${to.id}`);
    expect(alert).toHaveTextContent('Aantal: Kies een getal van 1 tot en met 200.');
    expect(alert).not.toHaveTextContent(/limit|use a number/);
    expect(screen.getByTestId('al-filters')).toContainElement(alert);
  });

  it('checks the period before asking: a Dutch message by the field, no request', async () => {
    const user = userEvent.setup();
    const api = mockApi({ ...baseTable(), [ACCESS_LOG]: { body: firstPage } });
    const { router } = renderApp(PAGE);
    await screen.findByTestId('al-table');

    fireEvent.change(screen.getByLabelText('Van'), { target: { value: '2026-11-20' } });
    fireEvent.change(screen.getByLabelText('Tot en met'), { target: { value: '2026-11-10' } });
    await user.click(screen.getByRole('button', { name: 'Toon toegang' }));

    expect(screen.getByTestId('al-error-to')).toHaveTextContent('De einddatum ligt vóór de begindatum.');
    expect(screen.getByTestId('al-filter-problem')).toHaveFocus();
    await user.click(screen.getByRole('link', { name: 'De einddatum ligt vóór de begindatum.' }));
    expect(screen.getByLabelText('Tot en met')).toHaveFocus();
    expect(router.state.location.search).toBe('');
    expect(api.calls(ACCESS_LOG)).toHaveLength(1);
  });

  it('does not send a period from the URL that the server would refuse, and says why in Dutch', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true }); // to run every pending timer at once below
    const api = mockApi({ ...baseTable(), [ACCESS_LOG]: { body: firstPage } });
    renderApp(`${PAGE}?van=2026-10-01&tot=2026-11-23`);

    expect(await screen.findByTestId('al-error-to')).toHaveTextContent('Kies ten hoogste 31 dagen.');
    expect(screen.getByLabelText('Tot en met')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('al-filter-problem')).toHaveTextContent('Controleer de filters');
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(api.calls(ACCESS_LOG)).toHaveLength(0);
  });

  it('says so when nothing matches, and offers the default filters again', async () => {
    mockApi({ ...baseTable(), [ACCESS_LOG]: { body: { items: [], next: '' } } });
    const { router } = renderApp(`${PAGE}?actie=delete`);
    expect(await screen.findByText('Niets gevonden')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('al-reset'));
    await waitFor(() => expect(router.state.location.search).toBe(''));
    expect(screen.getByLabelText('Actie')).toHaveValue('');
  });

  it('shows other errors with a retry', async () => {
    mockApi({ ...baseTable(), [ACCESS_LOG]: { status: 503, body: { code: 'unavailable', title: 'Service unavailable', status: 503 } } });
    renderApp(PAGE);
    expect(await screen.findByText(/Plein kan je verzoek nu even niet afhandelen/)).toBeInTheDocument();
    expect(screen.queryByText('Service unavailable')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Opnieuw proberen' })).toBeInTheDocument();
  });

  it('speaks English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    mockApi({ ...baseTable(), [ACCESS_LOG]: { body: firstPage } });
    renderApp(PAGE);
    expect(await screen.findByRole('heading', { level: 1, name: 'Access log' })).toBeInTheDocument();
    const table = await screen.findByTestId('al-table');
    expect(within(table).getByText('View')).toBeInTheDocument();
    // Times stay Dutch and numeric.
    expect(within(table).getByText('23-11-2026 15:09:51')).toBeInTheDocument();
  });
});

describe('the way to the access log', () => {
  it('is on the home page for administrators', async () => {
    mockApi(baseTable());
    renderApp('/');
    const link = await screen.findByRole('link', { name: 'Toegangslog' });
    expect(link).toHaveAttribute('href', PAGE);
  });

  it('is not there for anyone else', async () => {
    mockApi(baseTable(anouk));
    renderApp('/');
    await screen.findByRole('heading', { level: 1, name: /Anouk$/ });
    expect(screen.queryByRole('link', { name: 'Toegangslog' })).not.toBeInTheDocument();
  });
});
