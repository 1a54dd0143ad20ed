import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { roleLabel, teamRoleLabel } from '../../lib/labels';
import { useRegions } from '../org/api';
import { adminPaths } from './access';
import { useChanges } from './api';
import type { ChangeEntry, ChangeValue } from './types';
import { QueryView } from '../../components/QueryView';

const FIELDS = ['name', 'regionId', 'description', 'workingArea', 'phone', 'email', 'teamRoles', 'roles', 'active', 'archived', 'formerMembers'] as const;

/** /beheer/wijzigingen: every administrative change, newest first, with before and after. */
export function ChangesPage() {
  const { t } = useTranslation();
  const log = useChanges();
  const items = useMemo(() => (log.data?.pages ?? []).flatMap((p) => p.items), [log.data]);
  return (
    <section className="stack" aria-labelledby="adm-changes-title">
      <h2 id="adm-changes-title">{t('admin.changes.title')}</h2>
      <p className="muted">{t('admin.changes.intro')}</p>
      <QueryView
        query={log}
        loading={t('status.loading')}
        empty={<p className="empty-state">{t('admin.changes.none')}</p>}
        isEmpty={() => items.length === 0}
      >
        {() => (
          <>
            <ol className="adm-list" data-testid="admin-changes">
              {items.map((e) => (
                <ChangeItem key={e.id} entry={e} />
              ))}
            </ol>
            {log.hasNextPage && (
              <div>
                <button
                  type="button"
                  className="button button--secondary"
                  aria-disabled={log.isFetchingNextPage || undefined}
                  onClick={() => {
                    if (!log.isFetchingNextPage) void log.fetchNextPage();
                  }}
                >
                  {t('admin.changes.more')}
                </button>
              </div>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}

function subjectLink(subject: string): string | undefined {
  const user = /user:([^ ]+)$/.exec(subject);
  if (user?.[1]) return adminPaths.person(user[1]);
  const team = /^team:([^ ]+)$/.exec(subject);
  if (team?.[1]) return adminPaths.team(team[1]);
  if (subject.startsWith('region:')) return adminPaths.regions;
  return undefined;
}

function ChangeItem({ entry }: { entry: ChangeEntry }) {
  const { t, i18n } = useTranslation();
  const regions = useRegions();
  const regionName = (id: string) => regions.data?.find((r) => r.id === id)?.name ?? id;
  const at = new Date(entry.at).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'medium', timeStyle: 'short' });
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const shown = FIELDS.filter((f) => f in before || f in after).filter(
    (f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null) || !entry.before || !entry.after,
  );
  const link = subjectLink(entry.subject);
  const fmt = (f: string, v: ChangeValue | undefined) => formatValue(t, f, v, regionName);
  return (
    <li className="adm-row adm-change" data-testid="change">
      <p className="adm-change__head">
        <span className="adm-row__title" data-testid="change-action">
          {t(`admin.changes.actions.${entry.action.replace('.', '_')}`, { defaultValue: entry.action })}
        </span>{' '}
        {link ? <Link to={link}>{entry.subjectName}</Link> : entry.subjectName}
      </p>
      <p className="adm-row__meta">
        {t('admin.changes.by', { name: entry.actorName, at })}
      </p>
      {shown.length > 0 && (
        <dl className="adm-diff">
          {shown.map((f) => (
            <div key={f}>
              <dt>{t(`admin.changes.fields.${f}`)}</dt>
              <dd>
                {entry.before && entry.after ? (
                  <>
                    <del>{fmt(f, before[f])}</del> <span aria-hidden="true">→</span>
                    <span className="visually-hidden">{t('admin.changes.becomes')}</span> <ins>{fmt(f, after[f])}</ins>
                  </>
                ) : entry.after ? (
                  <ins>{fmt(f, after[f])}</ins>
                ) : (
                  <del>{fmt(f, before[f])}</del>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

function formatValue(t: TFunction, field: string, v: ChangeValue | undefined, regionName: (id: string) => string): string {
  if (v === undefined || v === null || v === '') return t('admin.changes.empty');
  if (typeof v === 'boolean') return v ? t('admin.changes.yes') : t('admin.changes.no');
  if (Array.isArray(v)) {
    if (v.length === 0) return t('admin.changes.none_list');
    if (field === 'roles') return v.map((r) => roleLabel(t, r)).join(', ');
    if (field === 'teamRoles') return v.map((r) => teamRoleLabel(t, r)).join(', ');
    return v.join(', ');
  }
  if (field === 'regionId') return regionName(String(v));
  return String(v);
}
