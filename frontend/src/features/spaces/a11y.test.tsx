import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatEnvironment } from '../chat/ChatProvider';
import { FakeSocket, fakeSocketFactory } from '../chat/testing';
import {
  API,
  FEED_URL,
  PINNED_URL,
  SPACE_URL,
  announcement,
  documentInfo,
  ilse,
  mockApi,
  notification,
  post,
  renderSpaces,
  space,
} from './testing';

// Structural checks in jsdom (labels, ARIA, headings, duplicate ids).
// Colour contrast needs a real browser: the e2e axe scan covers it.
async function expectNoViolations() {
  const results = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  const summary = results.violations.map((v) => `${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
  expect(results.passes.length).toBeGreaterThan(5);
}

beforeEach(() => {
  FakeSocket.reset();
  chatEnvironment.createSocket = fakeSocketFactory;
});

afterEach(() => {
  chatEnvironment.createSocket = null;
});

describe('accessibility of spaces, notifications and search (axe-core, jsdom)', () => {
  it('space home with posts, attachments, comments and the open bell', async () => {
    const withFiles = post({
      id: 'p-files',
      agreement: true,
      pinned: true,
      attachments: [
        { id: 'a1', name: 'rooster.png', contentType: 'image/png', size: 2048, image: true },
        { id: 'a2', name: 'notulen.pdf', contentType: 'application/pdf', size: 40960, image: false },
      ],
      reactions: [{ emoji: '👍', count: 2, mine: true }],
      canEdit: true,
      canDelete: true,
    });
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [withFiles] } },
      [FEED_URL]: { body: { items: [post({ id: 'p-x' })] } },
      [`${SPACE_URL}/posts/p-x/comments`]: { body: { items: [] } },
      [`${API}/notifications?limit=1`]: { body: { items: [], unread: 1 } },
      [`${API}/notifications?limit=10`]: { body: { items: [notification()], unread: 1 } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    await screen.findByTestId('post-attachment-image');
    await screen.findByTestId('post-stream');
    await userEvent.click(screen.getAllByTestId('post-comments-toggle')[0]!);
    await screen.findByText('Nog geen reacties.');
    await userEvent.click(screen.getByTestId('notification-bell'));
    await screen.findByTestId('notification-item');
    await expectNoViolations();
  });

  it('post composer and comment form with @mention suggestions open', async () => {
    mockApi({
      [SPACE_URL]: { body: space() },
      [PINNED_URL]: { body: { items: [] } },
      [FEED_URL]: { body: { items: [post({ id: 'p-x' })] } },
      [`${SPACE_URL}/posts/p-x/comments`]: { body: { items: [] } },
    });
    renderSpaces('/teams/den-helder-centrum/berichten');
    await userEvent.type(await screen.findByTestId('composer-body'), 'Vraag aan @');
    await userEvent.click(screen.getByTestId('post-comments-toggle'));
    await userEvent.type(await screen.findByTestId('comment-body'), '@S');
    expect(await screen.findAllByRole('listbox', { name: 'Personen om te noemen' })).toHaveLength(1);
    await expectNoViolations();
  });

  it('documents with an open document', async () => {
    mockApi({
      [SPACE_URL]: { body: space() },
      [`${SPACE_URL}/documents?folder=%2F`]: {
        body: { folder: '/', folders: [{ path: '/Overleg', name: 'Overleg' }], items: [documentInfo({ contentType: 'image/png', name: 'plattegrond.png' })] },
      },
      [`${SPACE_URL}/documents/d1`]: { body: documentInfo({ contentType: 'image/png', name: 'plattegrond.png', versions: [] }) },
    });
    renderSpaces('/ruimtes/den-helder-centrum/documenten');
    await userEvent.click(await screen.findByRole('button', { name: 'plattegrond.png' }));
    await screen.findByTestId('document-versions');
    await expectNoViolations();
  });

  it('notification centre', async () => {
    mockApi({
      [`${API}/notifications?limit=30`]: { body: { items: [notification(), notification({ id: 'n2', read: true, kind: 'event' })], unread: 1 } },
      [`${API}/notifications/preferences`]: {
        body: { kinds: { mention: true, reply: true, announcement: true, document: true, article_confirm: true, post: true, event: false }, live: true },
      },
    });
    renderSpaces('/meldingen');
    await screen.findByRole('checkbox', { name: 'Nieuwe meldingen direct tonen' });
    await screen.findAllByTestId('notification-item');
    await expectNoViolations();
  });

  it('announcements with the form open', async () => {
    mockApi({ [`${API}/announcements?limit=50`]: { body: { items: [announcement()] } } }, ilse);
    renderSpaces('/mededelingen');
    await userEvent.click(await screen.findByRole('button', { name: 'Nieuwe mededeling' }));
    await userEvent.click(screen.getByRole('radio', { name: "Bepaalde regio's en teams" }));
    await screen.findByRole('checkbox', { name: 'Julianadorp' });
    await expectNoViolations();
  });

  it('search results', async () => {
    mockApi({
      [`${API}/search?q=wond&types=article,document,post,team,person,message,community&limit=5`]: {
        body: {
          query: 'wond',
          groups: [
            { type: 'post', total: 1, items: [{ id: 'p1', title: 'Bericht', snippet: { text: 'over wondzorg', marks: [[5, 9]] }, link: '/ruimtes/x/berichten/p1', meta: '' }] },
            { type: 'person', total: 0, items: [] },
          ],
        },
      },
    });
    renderSpaces('/zoeken?q=wond');
    await screen.findAllByTestId('search-group');
    await expectNoViolations();
  });
});
