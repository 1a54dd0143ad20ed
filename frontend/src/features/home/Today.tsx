import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SessionUser } from '../../api/types';
import { Loading } from '../../components/Loading';
import { getMyRegion, setMyRegion } from '../../lib/myRegion';
import { ACCESS_LOG_PATH, isAdministrator } from '../accesslog/access';
import { ADMIN_PATH } from '../admin/access';
import { useChatSnapshotOrNull } from '../chat/ChatProvider';
import { useImports } from '../dashboard/api';
import { formatMonth, hasRole, IMPORT_ROLES, previousMonth } from '../dashboard/format';
import { useKnowledgeMeta, usePendingConfirmations, useReviewQueue } from '../knowledge/api';
import { plainText } from '../org/text';
import { teamChannelPath } from '../org/paths';
import { useRegions } from '../org/api';
import { useAgenda, useAnnouncements, usePostFeed, useSpacesOverview } from '../spaces/api';
import { formatDateTime, formatTime, localDay } from '../spaces/format';
import { postUrl, spaceHref } from '../spaces/paths';

const TODO_SHOWN = 5;

interface Start {
  to: string;
  label: string;
  hint?: string;
  testId: string;
}

/** Where this person starts: per role, their most likely first stop. */
export function StartingPoints({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const roles = user.roles;
  const team = user.teams[0];
  const starts: Start[] = [];
  if (team) {
    starts.push({ to: `/teams/${encodeURIComponent(team.id)}`, label: t('home.start.myTeam', { name: team.name }), testId: 'start-team' });
    starts.push({ to: teamChannelPath(team.id), label: t('home.start.teamChat'), testId: 'start-team-chat' });
  }
  if (hasRole(roles, 'ondersteunende_dienst')) {
    starts.push({ to: '/kennisbank/review', label: t('home.start.review'), testId: 'start-review' });
    starts.push({ to: '/kennisbank/vragen', label: t('home.start.questions'), testId: 'start-questions' });
    starts.push({ to: '/dashboard/import', label: t('home.start.import'), testId: 'start-import' });
    starts.push({ to: '/mededelingen', label: t('home.start.announce'), testId: 'start-announce' });
  }
  if (isAdministrator(user)) {
    starts.push({ to: '/dashboard/organisation', label: t('home.start.orgHealth'), testId: 'start-org-health' });
    starts.push({ to: '/kennisbank/rapportage', label: t('home.start.confirmations'), testId: 'start-confirmations' });
    starts.push({ to: '/teams', label: t('home.start.teams'), testId: 'start-teams' });
    starts.push({ to: ADMIN_PATH, label: t('admin.nav'), testId: 'start-admin' });
    starts.push({ to: ACCESS_LOG_PATH, label: t('accesslog.title'), testId: 'start-accesslog' });
  }
  if (hasRole(roles, 'teamcoach', 'coordinerend_wijkverpleegkundige') && !isAdministrator(user)) {
    starts.push({ to: '/dashboard/organisation', label: t('home.start.followTeams'), testId: 'start-follow-teams' });
  }
  if (!team && starts.length === 0 && !hasRole(roles, 'regiomanager')) {
    starts.push({ to: '/teams', label: t('home.start.teams'), testId: 'start-teams' });
  }
  return (
    <section className="panel tp-card tp-card--wide" aria-labelledby="home-start" data-testid="home-start">
      <h2 id="home-start">{t('home.start.title')}</h2>
      {hasRole(roles, 'regiomanager') && <MyRegion />}
      {starts.length > 0 && (
        <ul className="tp-start">
          {starts.map((s) => (
            <li key={s.testId}>
              <Link to={s.to} className="button button--secondary" data-testid={s.testId}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * A region manager's region. The organisation does not (yet) record which
 * region a manager leads, so the manager picks it once (lib/myRegion); home
 * and /dashboard then lead straight to that region.
 */
function MyRegion() {
  const { t } = useTranslation();
  const regions = useRegions();
  const [chosen, setChosen] = useState<string>(getMyRegion);
  const region = regions.data?.find((r) => r.id === chosen);
  function choose(id: string) {
    setChosen(id);
    setMyRegion(id);
  }
  if (regions.isPending) return <Loading label={t('status.loading')} />;
  return (
    <div className="stack stack--tight" data-testid="home-region">
      {region && (
        <p>
          <Link to={`/dashboard/regions/${encodeURIComponent(region.id)}`} className="button button--primary" data-testid="start-region">
            {t('home.start.region', { name: region.name })}
          </Link>
        </p>
      )}
      <div>
        <label htmlFor="home-region-select" className="field-label">
          {t('home.start.regionChoose')}
        </label>
        <select id="home-region-select" className="input select" value={chosen} onChange={(e) => choose(e.target.value)}>
          <option value="">{t('home.start.regionNone')}</option>
          {(regions.data ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

interface Todo {
  key: string;
  to: string;
  label: string;
  kind: string;
}

/** To do: articles to confirm, announcements to acknowledge, reviews, figures to import. */
export function TodoList({ user }: { user: SessionUser }) {
  const { t, i18n } = useTranslation();
  const pending = usePendingConfirmations();
  const announcements = useAnnouncements();
  const meta = useKnowledgeMeta();
  const reviews = useReviewQueue(Boolean(meta.data?.canEdit));
  const importer = hasRole(user.roles, ...IMPORT_ROLES);
  const imports = useImports(importer);

  const todos: Todo[] = [];
  for (const a of pending.data ?? []) {
    todos.push({ key: `k-${a.id}`, to: `/kennisbank/${encodeURIComponent(a.id)}`, label: a.title, kind: t('home.todo.confirm') });
  }
  for (const a of (announcements.data ?? []).filter((x) => x.requiresAck && !x.acknowledged)) {
    todos.push({ key: `a-${a.id}`, to: `/mededelingen/${encodeURIComponent(a.id)}`, label: a.title, kind: t('home.todo.acknowledge') });
  }
  for (const r of (reviews.data ?? []).filter((x) => (x as { canReview?: boolean }).canReview !== false)) {
    todos.push({ key: `r-${r.id}`, to: `/kennisbank/${encodeURIComponent(r.id)}/review`, label: r.title, kind: t('home.todo.review') });
  }
  if (importer && imports.data) {
    const due = previousMonth(localDay(new Date()).slice(0, 7));
    const latest = imports.data.filter((i) => i.committed).reduce((max, i) => (i.lastMonth > max ? i.lastMonth : max), '');
    if (latest < due) {
      todos.push({ key: 'import', to: '/dashboard/import', label: t('home.todo.importLabel', { month: formatMonth(due, i18n.language) }), kind: t('home.todo.import') });
    }
  }
  const loading = pending.isPending && announcements.isPending;

  return (
    <section className="panel tp-card" aria-labelledby="home-todo" data-testid="home-todo">
      <h2 id="home-todo">
        {t('home.todo.title')}
        {todos.length > 0 && (
          <span className="tp-count" data-testid="home-todo-count">
            {todos.length}
          </span>
        )}
      </h2>
      {loading ? (
        <Loading label={t('status.loading')} />
      ) : todos.length === 0 ? (
        <p className="muted">{t('home.todo.none')}</p>
      ) : (
        <ul className="tp-list">
          {todos.slice(0, TODO_SHOWN).map((todo) => (
            <li key={todo.key} data-testid="home-todo-item">
              <Link to={todo.to}>{todo.label}</Link>
              <span className="muted small">{todo.kind}</span>
            </li>
          ))}
        </ul>
      )}
      {todos.length > TODO_SHOWN && (
        <p>
          <Link to="/kennisbank" className="arrow-link" data-testid="home-todo-more">
            {t('home.todo.more', { count: todos.length - TODO_SHOWN })}
          </Link>
        </p>
      )}
    </section>
  );
}

/** Recent: the agenda of today and tomorrow, new posts in my teams and communities, unread chat, news. */
export function Recent({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const overview = useSpacesOverview();
  // Asked for everyone, also without a team (an empty list): public/home-early.js asks for it before it knows.
  const agenda = useAgenda(HOME_AGENDA_DAYS);
  const spaces = [
    ...user.teams.map((team) => ({ id: team.id, name: team.name })),
    ...(overview.data?.communities ?? []).filter((c) => c.member).slice(0, 3).map((c) => ({ id: c.id, name: c.name })),
  ];
  return (
    <>
      {user.teams.length > 0 && (
        <section className="panel tp-card" aria-labelledby="home-agenda" data-testid="home-agenda">
          <h2 id="home-agenda">{t('home.recent.agenda')}</h2>
          <MyAgenda teams={user.teams} agenda={agenda} />
        </section>
      )}
      <section className="panel tp-card" aria-labelledby="home-posts" data-testid="home-posts">
        <h2 id="home-posts">{t('home.recent.posts')}</h2>
        {spaces.length === 0 ? (
          <p className="muted">{t('home.recent.noSpaces')}</p>
        ) : (
          spaces.map((s) => <SpacePosts key={s.id} spaceId={s.id} name={s.name} />)
        )}
        <p>
          <Link to="/ruimtes" className="arrow-link" data-testid="home-spaces-link">
            {t('home.recent.allSpaces')}
          </Link>
        </p>
      </section>
      <UnreadChat />
      <News />
    </>
  );
}

/** How many days home's agenda shows: today and tomorrow (public/home-early.js asks the same). */
export const HOME_AGENDA_DAYS = 2;

/** Today's and tomorrow's events of my teams, in one request (GET /agenda), per team when there are several. */
function MyAgenda({ teams, agenda }: { teams: SessionUser['teams']; agenda: ReturnType<typeof useAgenda> }) {
  const { t, i18n } = useTranslation();
  if (agenda.isPending) return <Loading label={t('spaces.agenda.loading')} />;
  const today = localDay(new Date());
  const all = agenda.data ?? [];
  return (
    <>
      {teams.map((team) => {
        const items = all.filter((e) => e.spaceId === team.id);
        return (
          <div key={team.id} className="stack stack--tight">
            {teams.length > 1 && <h3 className="small">{team.name}</h3>}
            {items.length === 0 ? (
              <p className="muted">{t('home.recent.noAgenda')}</p>
            ) : (
              <ul className="tp-list">
                {items.map((e) => (
                  <li key={e.id}>
                    <Link to={spaceHref(team.id, `agenda/${encodeURIComponent(e.id)}`)}>{e.title}</Link>
                    <span className="muted small">
                      {localDay(e.start) <= today ? t('spaces.time.today') : t('home.recent.tomorrow')}
                      {!e.allDay && <> · {formatTime(e.start, i18n.language)}</>}
                      {e.location && <> · {e.location}</>}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </>
  );
}

function SpacePosts({ spaceId, name }: { spaceId: string; name: string }) {
  const { i18n } = useTranslation();
  const feed = usePostFeed(spaceId);
  const posts = (feed.data?.pages[0]?.items ?? []).slice(0, 2);
  if (feed.isPending || posts.length === 0) return null;
  return (
    <div className="stack stack--tight">
      <h3 className="small">
        <Link to={spaceHref(spaceId)}>{name}</Link>
      </h3>
      <ul className="tp-list">
        {posts.map((post) => (
          <li key={post.id}>
            <Link to={postUrl(post)}>{plainText(post.body, 100) || '…'}</Link>
            <span className="muted small">
              {post.author.name} · <time dateTime={post.createdAt}>{formatDateTime(post.createdAt, i18n.language)}</time>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function UnreadChat() {
  const { t } = useTranslation();
  const chat = useChatSnapshotOrNull();
  const unread = (chat?.channels ?? []).filter((c) => c.summary.unread > 0).slice(0, 5);
  return (
    <section className="panel tp-card" aria-labelledby="home-chat" data-testid="home-chat">
      <h2 id="home-chat">{t('home.recent.chat')}</h2>
      {unread.length === 0 ? (
        <p className="muted">{t('home.recent.noChat')}</p>
      ) : (
        <ul className="tp-list">
          {unread.map((c) => (
            <li key={c.id}>
              <Link to={`/chat/${encodeURIComponent(c.id)}`}>{c.summary.name}</Link>
              <span className="muted small">{t('chat.unread', { count: c.summary.unread })}</span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/chat" className="arrow-link">
          {t('home.recent.toChat')}
        </Link>
      </p>
    </section>
  );
}

function News() {
  const { t, i18n } = useTranslation();
  const announcements = useAnnouncements();
  const latest = (announcements.data ?? []).slice(0, 3);
  return (
    <section className="panel tp-card" aria-labelledby="home-news" data-testid="home-news">
      <h2 id="home-news">{t('home.recent.news')}</h2>
      {announcements.isPending ? (
        <Loading label={t('status.loading')} />
      ) : latest.length === 0 ? (
        <p className="muted">{t('home.recent.noNews')}</p>
      ) : (
        <ul className="tp-list">
          {latest.map((a) => (
            <li key={a.id}>
              <Link to={`/mededelingen/${encodeURIComponent(a.id)}`}>{a.title}</Link>
              <span className="muted small">
                {a.author?.name} · <time dateTime={a.createdAt}>{formatDateTime(a.createdAt, i18n.language)}</time>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/mededelingen" className="arrow-link" data-testid="home-announcements-link">
          {t('home.recent.allNews')}
        </Link>
      </p>
    </section>
  );
}
