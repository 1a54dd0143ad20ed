import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TeamMember } from '../../api/types';
import { roleLabel, teamRoleLabel } from '../../lib/labels';
import { initials } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useTeamDashboard } from '../dashboard/api';
import { formatMonth, formatValue, indicatorName, statusLabel, STATUS_SYMBOLS } from '../dashboard/format';
import { Signals } from '../dashboard/TeamDashboardPage';
import type { TeamView } from '../dashboard/types';
import { useCurrentUser } from '../session/api';
import { About, Agreements, Stream } from '../spaces/SpaceHome';
import { ProfilePage } from '../spaces/ProfilePage';
import { useTeamOutlet } from './TeamLayout';
import { QueryView } from '../../components/QueryView';

/** /teams/:teamId/berichten: what is new first — the composer and the stream — then the agreements (pinned; also on the overview). */
export function TeamPosts() {
  const { t } = useTranslation();
  const { space } = useTeamOutlet();
  useDocumentTitle(t('team.sectionTitle', { section: t('team.sections.posts'), name: space.name }));
  return (
    <div className="stack tp-posts" data-testid="team-posts">
      <Stream space={space} />
      <Agreements space={space} />
    </div>
  );
}

/** /teams/:teamId/over: the team's profile (description, working area, contact), its editor and history. */
export function TeamAbout() {
  const { space } = useTeamOutlet();
  return (
    <div className="stack" data-testid="team-about-page">
      <About space={space} />
      <ProfilePage />
    </div>
  );
}

/** /teams/:teamId/leden: members with their function and taakrollen, and how to reach the team. */
export function TeamMembers() {
  const { t, i18n } = useTranslation();
  const { space, team } = useTeamOutlet();
  const user = useCurrentUser();
  useDocumentTitle(t('team.sectionTitle', { section: t('team.sections.members'), name: space.name }));
  const collator = new Intl.Collator(i18n.language, { sensitivity: 'base' });
  const members = [...(team.data?.members ?? [])].sort((a, b) => collator.compare(a.name, b.name));
  return (
    <div className="stack" data-testid="team-members">
      <section className="panel" aria-labelledby="team-members-title">
        <h2 id="team-members-title">
          {t('team.members')} <span className="region__count">{t('teams.memberCount', { count: members.length })}</span>
        </h2>
        <QueryView
          query={team}
          loading={t('team.loading')}
          empty={
            <ul className="member-list">
              {members.map((member) => (
                <MemberItem key={member.userId} member={member} isMe={member.userId === user.id} />
              ))}
            </ul>
          }
          isEmpty={() => members.length > 0}
        >
          {() => <p className="muted">{t('team.noMembers')}</p>}
        </QueryView>
      </section>
      <About space={space} />
    </div>
  );
}

function MemberItem({ member, isMe }: { member: TeamMember; isMe: boolean }) {
  const { t } = useTranslation();
  const roles = member.roles ?? [];
  const teamRoles = member.teamRoles ?? [];
  return (
    <li className={isMe ? 'member member--me' : 'member'} data-testid="team-member">
      <span className="avatar" aria-hidden="true">
        {initials(member.name)}
      </span>
      <div className="member__body">
        <p className="member__name">
          {member.name}
          {isMe && <span className="member__me"> ({t('team.you')})</span>}
        </p>
        {(roles.length > 0 || teamRoles.length > 0) && (
          <ul className="badges">
            {roles.map((role) => (
              <li key={`r-${role}`} className="badge badge--role">
                <span className="visually-hidden">{t('team.roles')}: </span>
                {roleLabel(t, role)}
              </li>
            ))}
            {teamRoles.map((role) => (
              <li key={`t-${role}`} className="badge badge--task">
                <span className="visually-hidden">{t('team.teamRoles')}: </span>
                {teamRoleLabel(t, role)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

/** /teams/:teamId/cijfers: this month's figures with their signals; the trends are on the dashboard. */
export function TeamFigures() {
  const { t } = useTranslation();
  const { space } = useTeamOutlet();
  useDocumentTitle(t('team.sectionTitle', { section: t('team.sections.figures'), name: space.name }));
  const view = useTeamDashboard(space.id);
  return (
    <section className="stack" aria-labelledby="team-figures-title" data-testid="team-figures">
      <h2 id="team-figures-title">{t('team.figures.title')}</h2>
      <QueryView query={view} loading={t('team.figures.loading')}>
        {(data) => <FigureTiles view={data} />}
      </QueryView>
      <p>
        <Link to={`/dashboard/teams/${encodeURIComponent(space.id)}`} className="arrow-link">
          {t('team.figures.dashboardLink')}
        </Link>
      </p>
    </section>
  );
}

/** This month's figures as small tiles with their traffic light, and the signals. */
export function FigureTiles({ view, compact = false }: { view: TeamView; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  if (!view.month) return <p className="muted">{t('dashboard.team.noFigures')}</p>;
  return (
    <div className="stack stack--tight">
      <p className="muted small" data-testid="team-figures-month">
        {t('dashboard.team.figuresOf', { month: formatMonth(view.month, i18n.language) })}
      </p>
      {!compact && <Signals signals={view.signals} view={view} />}
      {compact && view.signals.length > 0 && (
        <p className="tp-signal-count" data-testid="team-signal-count">
          <span aria-hidden="true">! </span>
          {t('team.figures.signals', { count: view.signals.length })}
        </p>
      )}
      <ul className="tp-figures">
        {view.latest.map((tile) => {
          const ind = view.indicators.find((i) => i.key === tile.key);
          if (!ind) return null;
          return (
            <li key={tile.key} className={`tp-figure tp-figure--${tile.status}`}>
              <span className="tp-figure__name">{indicatorName(t, ind)}</span>
              <span className="tp-figure__value">
                {tile.suppressed ? t('team.figures.suppressed') : formatValue(tile.value, ind.unit, i18n.language)}
              </span>
              <span className="tp-figure__status">
                <span aria-hidden="true">{STATUS_SYMBOLS[tile.status]} </span>
                {statusLabel(t, tile.status)}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
