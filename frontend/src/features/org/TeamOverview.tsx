import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ContactLinks } from '../../components/ContactLinks';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { TeamAuditsPanel } from '../audits/TeamAuditsPanel';
import { useTeamDashboard } from '../dashboard/api';
import { usePendingConfirmations } from '../knowledge/api';
import { TeamLearningPanel } from '../learning/TeamLearningPanel';
import { useAnnouncements, useEvents, usePinnedPosts, usePostFeed } from '../spaces/api';
import { addDays, formatDateTime, localDay } from '../spaces/format';
import { postUrl } from '../spaces/PostItem';
import type { Post, Space, SpaceEvent } from '../spaces/types';
import { FigureTiles } from './TeamSections';
import { useTeamOutlet } from './TeamLayout';
import { plainText } from './text';
import { QueryView } from '../../components/QueryView';

const LATEST_POSTS = 3;
const NEXT_EVENTS = 3;
const EVENT_DAYS = 14;

/**
 * /teams/:teamId: the integrated picture, what is new first — my open
 * to-dos, the latest posts, the next events, this month's figures with
 * signals, the pinned agreements — then the places for learning and audits,
 * and at the end what the team says about itself.
 */
export function TeamOverview() {
  const { t } = useTranslation();
  const { space } = useTeamOutlet();
  useDocumentTitle(t('team.documentTitle', { name: space.name }));
  // The latest posts come first and are the tallest: the sections show once
  // they are in, instead of being pushed down a screen when they arrive (a
  // layout shift of 0.2 on a phone). LatestPosts reads the same query.
  const feed = usePostFeed(space.id);
  if (feed.isPending) return <Loading label={t('spaces.posts.loading')} />;
  return (
    <div className="tp-overview" data-testid="team-overview">
      <LatestPosts space={space} />
      <NextEvents space={space} />
      {space.member && <MyTodos />}
      <Figures space={space} />
      <PinnedAgreements space={space} />
      {/* The steering cycle beside the figures: maturity and learning, audits and their actions. */}
      <TeamLearningPanel teamId={space.id} className="panel tp-card ln-panel" />
      <TeamAuditsPanel teamId={space.id} className="panel tp-card audit-panel" />
      <AboutCompact space={space} />
    </div>
  );
}

/** My open to-dos, as counts that lead to the lists (the full list is on home). */
function MyTodos() {
  const { t } = useTranslation();
  const announcements = useAnnouncements();
  const pending = usePendingConfirmations();
  const toAck = (announcements.data ?? []).filter((a) => a.requiresAck && !a.acknowledged);
  const toConfirm = pending.data ?? [];
  if (announcements.isPending && pending.isPending) return null;
  return (
    <section className="panel tp-card tp-todos" aria-labelledby="tp-todos" data-testid="team-todos">
      <h2 id="tp-todos">{t('team.overview.todos')}</h2>
      {toAck.length === 0 && toConfirm.length === 0 ? (
        <p className="muted">{t('team.overview.todosNone')}</p>
      ) : (
        <ul className="tp-todo-summary">
          {toConfirm.length > 0 && (
            <li>
              <Link to={toConfirm.length === 1 ? `/kennisbank/${encodeURIComponent(toConfirm[0]!.id)}` : '/kennisbank'} data-testid="team-todo-confirm">
                {toConfirm.length === 1 ? toConfirm[0]!.title : t('team.overview.toConfirmCount', { count: toConfirm.length })}
              </Link>
            </li>
          )}
          {toAck.length > 0 && (
            <li>
              <Link to={toAck.length === 1 ? `/mededelingen/${encodeURIComponent(toAck[0]!.id)}` : '/mededelingen'} data-testid="team-todo-ack">
                {toAck.length === 1 ? toAck[0]!.title : t('team.overview.toAcknowledgeCount', { count: toAck.length })}
              </Link>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

function PostLine({ post }: { post: Post }) {
  const { i18n } = useTranslation();
  return (
    <li className="tp-post">
      <Link to={postUrl(post)} className="tp-post__link">
        {plainText(post.body, 120) || '…'}
      </Link>
      <span className="muted small">
        {post.author.name} · <time dateTime={post.createdAt}>{formatDateTime(post.createdAt, i18n.language)}</time>
      </span>
    </li>
  );
}

function LatestPosts({ space }: { space: Space }) {
  const { t } = useTranslation();
  const feed = usePostFeed(space.id);
  const posts = (feed.data?.pages[0]?.items ?? []).filter((p) => !p.pinned).slice(0, LATEST_POSTS);
  return (
    <section className="panel tp-card" aria-labelledby="tp-posts" data-testid="team-latest-posts">
      <h2 id="tp-posts">{t('team.overview.latestPosts')}</h2>
      {feed.isPending ? (
        <Loading label={t('spaces.posts.loading')} />
      ) : !feed.data ? (
        <ErrorAlert error={feed.error} onRetry={() => void feed.refetch()} />
      ) : posts.length === 0 ? (
        <p className="muted">{t('spaces.posts.none')}</p>
      ) : (
        <ul className="tp-list">
          {posts.map((post) => (
            <PostLine key={post.id} post={post} />
          ))}
        </ul>
      )}
      <p>
        <Link to={`/teams/${encodeURIComponent(space.id)}/berichten`} className="arrow-link">
          {space.canPost ? t('team.overview.allPostsWrite') : t('team.overview.allPosts')}
        </Link>
      </p>
    </section>
  );
}

function EventLine({ event }: { event: SpaceEvent }) {
  const { i18n } = useTranslation();
  const when = event.allDay
    ? new Intl.DateTimeFormat(i18n.language, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${event.start}T00:00:00`))
    : formatDateTime(event.start, i18n.language);
  return (
    <li className="tp-event">
      <Link to={`/teams/${encodeURIComponent(event.spaceId)}/agenda/${encodeURIComponent(event.id)}`}>{event.title}</Link>
      <span className="muted small">
        <time dateTime={event.start}>{when}</time>
        {event.location && <> · {event.location}</>}
      </span>
    </li>
  );
}

function NextEvents({ space }: { space: Space }) {
  const { t } = useTranslation();
  const [range] = useState(() => {
    const today = new Date();
    return { from: localDay(today), to: localDay(addDays(today, EVENT_DAYS)) };
  });
  const events = useEvents(space.id, range.from, range.to);
  const next = (events.data ?? []).slice(0, NEXT_EVENTS);
  return (
    <section className="panel tp-card" aria-labelledby="tp-events" data-testid="team-next-events">
      <h2 id="tp-events">{t('team.overview.nextEvents')}</h2>
      <QueryView
        query={events}
        loading={t('spaces.agenda.loading')}
        empty={t('team.overview.noEvents')}
        isEmpty={() => next.length === 0}
      >
        {() => (
          <ul className="tp-list">
            {next.map((event) => (
              <EventLine key={event.id} event={event} />
            ))}
          </ul>
        )}
      </QueryView>
      <p>
        <Link to={`/teams/${encodeURIComponent(space.id)}/agenda`} className="arrow-link">
          {t('team.overview.agenda')}
        </Link>
      </p>
    </section>
  );
}

function Figures({ space }: { space: Space }) {
  const { t } = useTranslation();
  const view = useTeamDashboard(space.id);
  return (
    <section className="panel tp-card tp-card--wide" aria-labelledby="tp-figures" data-testid="team-overview-figures">
      <h2 id="tp-figures">{t('team.overview.figures')}</h2>
      <QueryView query={view} loading={t('team.figures.loading')}>
        {(data) => <FigureTiles view={data} compact />}
      </QueryView>
      <p>
        <Link to={`/teams/${encodeURIComponent(space.id)}/cijfers`} className="arrow-link">
          {t('team.overview.figuresLink')}
        </Link>
      </p>
    </section>
  );
}

function PinnedAgreements({ space }: { space: Space }) {
  const { t } = useTranslation();
  const pinned = usePinnedPosts(space.id);
  return (
    <section className="panel tp-card" aria-labelledby="tp-agreements" data-testid="team-agreements">
      <h2 id="tp-agreements">{t('spaces.agreements.title')}</h2>
      <QueryView query={pinned} loading={t('spaces.agreements.loading')} empty={t('spaces.agreements.none')}>
        {(data) => (
          <ul className="tp-list">
            {data.slice(0, 5).map((post) => (
              <PostLine key={post.id} post={post} />
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

/** What the team says about itself, kept short: the working area and contact, the text folded. */
function AboutCompact({ space }: { space: Space }) {
  const { t } = useTranslation();
  const phone = space.contact?.phone?.trim();
  const email = space.contact?.email?.trim();
  return (
    <section className="panel tp-card tp-card--wide tp-about" aria-labelledby="tp-about" data-testid="team-about">
      <h2 id="tp-about">{t('team.about')}</h2>
      {space.workingArea.length > 0 && (
        <p>
          <span className="muted">{t('team.workingArea')}: </span>
          {space.workingArea.join(', ')}
        </p>
      )}
      {(phone || email) && (
        <ContactLinks phone={phone} email={email} phoneLabel={t('team.phone')} emailLabel={t('team.email')} className="sp-contact-list--inline" />
      )}
      {space.descriptionHtml && (
        <details className="tp-about__more">
          <summary>{t('team.overview.readAbout')}</summary>
          {/* Safe: descriptionHtml is sanitised by the server. */}
          <div className="sp-prose-html" dangerouslySetInnerHTML={{ __html: space.descriptionHtml }} />
        </details>
      )}
      <p>
        <Link to={`/teams/${encodeURIComponent(space.id)}/over`} className="arrow-link">
          {space.canEdit ? t('team.overview.editAbout') : t('team.overview.moreAbout')}
        </Link>
      </p>
    </section>
  );
}
