import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TeamDetail, TeamMember } from '../../api/types';
import { isApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MailIcon, PhoneIcon } from '../../components/Icons';
import { Loading } from '../../components/Loading';
import { roleLabel, teamRoleLabel } from '../../lib/labels';
import { initials, splitParagraphs, telHref } from '../../lib/text';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useTeam } from './api';

export function TeamPage() {
  const { t } = useTranslation();
  const { teamId = '' } = useParams();
  const team = useTeam(teamId);
  const notFound = team.isError && isApiError(team.error) && team.error.isNotFound;

  useDocumentTitle(
    team.data
      ? t('team.documentTitle', { name: team.data.name })
      : notFound
        ? t('team.notFoundTitle')
        : t('team.loading'),
  );

  if (team.isPending) {
    return (
      <div aria-busy="true">
        <Loading label={t('team.loading')} />
      </div>
    );
  }

  if (team.isError) {
    return (
      <div className="stack">
        <Breadcrumb />
        {notFound ? (
          <>
            <h1>{t('team.notFoundTitle')}</h1>
            <p>{t('team.notFoundBody')}</p>
          </>
        ) : (
          <>
            <h1>{t('error.title')}</h1>
            <ErrorAlert error={team.error} onRetry={() => void team.refetch()} />
          </>
        )}
        <p>
          <Link to="/teams">{t('team.backToTeams')}</Link>
        </p>
      </div>
    );
  }

  return <TeamView team={team.data} />;
}

function Breadcrumb({ team }: { team?: TeamDetail }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('team.breadcrumb')} className="breadcrumb">
      <ol>
        <li>
          <Link to="/teams">{t('nav.teams')}</Link>
        </li>
        {team && (
          <>
            <li>
              <Link to={`/teams#region-${team.regionId}`}>{team.regionName}</Link>
            </li>
            <li>
              <span aria-current="page">{team.name}</span>
            </li>
          </>
        )}
      </ol>
    </nav>
  );
}

function TeamView({ team }: { team: TeamDetail }) {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const isOwnTeam = user.teams.some((own) => own.id === team.id);
  const paragraphs = splitParagraphs(team.description ?? '');
  const updated = formatDate(team.updatedAt, i18n.language);
  const collator = new Intl.Collator(i18n.language, { sensitivity: 'base' });
  const members = [...(team.members ?? [])].sort((a, b) => collator.compare(a.name, b.name));
  const phone = team.contact?.phone?.trim();
  const email = team.contact?.email?.trim();

  return (
    <article className="stack team-page">
      <Breadcrumb team={team} />
      <header className={isOwnTeam ? 'page-header team-header team-header--own' : 'page-header team-header'}>
        {isOwnTeam && <p className="badge badge--own">{t('team.yourTeam')}</p>}
        <h1>{team.name}</h1>
        <dl className="facts">
          <div>
            <dt>{t('team.region')}</dt>
            <dd>{team.regionName}</dd>
          </div>
          <div>
            <dt>{t('team.workingArea')}</dt>
            <dd>
              {team.workingArea.length > 0 ? (
                <ul className="chips">
                  {team.workingArea.map((area) => (
                    <li key={area} className="chip">
                      {area}
                    </li>
                  ))}
                </ul>
              ) : (
                t('team.noWorkingArea')
              )}
            </dd>
          </div>
        </dl>
      </header>

      <div className="team-page__grid">
        <section className="panel" aria-labelledby="team-about">
          <h2 id="team-about">{t('team.about')}</h2>
          {paragraphs.length > 0 ? (
            <div className="prose">
              {paragraphs.map((paragraph, index) => (
                <p key={index}>{paragraph}</p>
              ))}
            </div>
          ) : (
            <p className="muted">{t('team.noDescription')}</p>
          )}
        </section>

        <section className="panel" aria-labelledby="team-contact">
          <h2 id="team-contact">{t('team.contact')}</h2>
          {phone || email ? (
            <ul className="contact-list">
              {phone && (
                <li>
                  <a href={telHref(phone)} className="contact-link">
                    <PhoneIcon className="contact-link__icon" />
                    <span>
                      <span className="contact-link__label">{t('team.phone')}</span>
                      <span className="contact-link__value">{phone}</span>
                    </span>
                  </a>
                </li>
              )}
              {email && (
                <li>
                  <a href={`mailto:${email}`} className="contact-link">
                    <MailIcon className="contact-link__icon" />
                    <span>
                      <span className="contact-link__label">{t('team.email')}</span>
                      <span className="contact-link__value">{email}</span>
                    </span>
                  </a>
                </li>
              )}
            </ul>
          ) : (
            <p className="muted">{t('team.noContact')}</p>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="team-members">
        <h2 id="team-members">
          {t('team.members')} <span className="region__count">{t('teams.memberCount', { count: members.length })}</span>
        </h2>
        {members.length > 0 ? (
          <ul className="member-list">
            {members.map((member) => (
              <MemberItem key={member.userId} member={member} isMe={member.userId === user.id} />
            ))}
          </ul>
        ) : (
          <p className="muted">{t('team.noMembers')}</p>
        )}
      </section>

      {updated && <p className="muted small">{t('team.updatedAt', { date: updated })}</p>}
    </article>
  );
}

function MemberItem({ member, isMe }: { member: TeamMember; isMe: boolean }) {
  const { t } = useTranslation();
  const roles = member.roles ?? [];
  const teamRoles = member.teamRoles ?? [];
  return (
    <li className={isMe ? 'member member--me' : 'member'}>
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

function formatDate(value: string | undefined, language: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(date);
}
