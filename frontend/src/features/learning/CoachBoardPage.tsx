import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { type BoardParams, useBoard } from './api';
import { formatDateTime, formatNumber, phaseKey } from './format';
import { PlanSessionForm } from './PlanSessionForm';
import type { BoardRow, Signal } from './types';
import './learning.css';

const SIGNAL_KEYS = ['satisfaction_falling_no_session', 'satisfaction_falling', 'no_session', 'scan_overdue', 'low_attendance', 'behind', 'phase_down'] as const;
type SignalKey = (typeof SIGNAL_KEYS)[number];

/** A signal in the reader's language; the server's Dutch text for a key this version does not know. */
function signalText(t: TFunction, s: Signal): string {
  return (SIGNAL_KEYS as readonly string[]).includes(s.key) ? t(`learning.signals.${s.key as SignalKey}`) : s.text;
}

const SORTS = ['signals', 'team', 'phase', 'progress', 'attendance', 'scan', 'next'] as const;
const FILTERS = ['', 'signals', 'scan', 'behind'] as const;

/** The coach's board: every team the coach holds, sortable and filterable, usable on a phone. */
export function CoachBoardPage({ headingLevel = 1 }: { headingLevel?: 1 | 2 }) {
  const { t } = useTranslation();
  useDocumentTitle(headingLevel === 1 ? t('learning.board.title') : undefined);
  const [params, setParams] = useState<BoardParams>({ sort: 'signals', order: 'asc', filter: '', q: '' });
  const board = useBoard(params);
  const [planning, setPlanning] = useState(false);
  const H = headingLevel === 1 ? 'h1' : 'h2';
  const set = (p: Partial<BoardParams>) => setParams((old) => ({ ...old, ...p }));
  return (
    <div className="stack ln">
      <header className="page-header">
        <H>{t('learning.board.title')}</H>
        <p className="page-header__intro">{t('learning.board.intro')}</p>
      </header>
      <div className="ln-toolbar" role="group" aria-label={t('learning.board.filter')}>
        <label className="ln-field">
          <span className="field-label">{t('learning.board.search')}</span>
          <input className="input" type="search" value={params.q} onChange={(e) => set({ q: e.target.value })} />
        </label>
        <label className="ln-field">
          <span className="field-label">{t('learning.board.filter')}</span>
          <select className="input" value={params.filter} onChange={(e) => set({ filter: e.target.value })} data-testid="board-filter">
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`learning.board.filters.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="ln-field">
          <span className="field-label">{t('learning.board.sort')}</span>
          <select className="input" value={params.sort} onChange={(e) => set({ sort: e.target.value })} data-testid="board-sort">
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`learning.board.sortBy.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="ln-field">
          <span className="field-label">{t('learning.board.order')}</span>
          <select className="input" value={params.order} onChange={(e) => set({ order: e.target.value as 'asc' | 'desc' })}>
            <option value="asc">{t('learning.board.asc')}</option>
            <option value="desc">{t('learning.board.desc')}</option>
          </select>
        </label>
      </div>
      <p className="ln-actions">
        <button type="button" className="button button--primary" aria-expanded={planning} onClick={() => setPlanning((p) => !p)} data-testid="plan-session-toggle">
          {t('learning.board.plan')}
        </button>
        <Link className="arrow-link" to="/leren/opbrengsten">
          {t('learning.board.yield')}
        </Link>
        <Link className="arrow-link" to="/leren/programma">
          {t('learning.programme.link')}
        </Link>
      </p>
      {planning && board.data && <PlanSessionForm teams={board.data.teams.map((r) => r.team)} onDone={() => setPlanning(false)} />}
      {board.isError && <ErrorAlert error={board.error} />}
      {board.data && (
        <>
          <p className="ln-muted" aria-live="polite" data-testid="board-count">
            {t('learning.board.count', { shown: board.data.teams.length, total: board.data.total })}
          </p>
          {board.data.teams.length === 0 ? (
            <p>{t('learning.board.empty')}</p>
          ) : (
            <ul className="ln-board" data-testid="coach-board">
              {board.data.teams.map((r) => (
                <BoardCard key={r.team.id} row={r} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function BoardCard({ row }: { row: BoardRow }) {
  const { t } = useTranslation();
  return (
    <li className="card ln-board__card" data-testid="board-row" data-team={row.team.id}>
      <h2 className="card__title ln-board__title">
        <Link className="card__link" to={`/leren/team/${encodeURIComponent(row.team.id)}`}>
          {row.team.name}
        </Link>
      </h2>
      <p className="card__meta">{row.regionName}</p>
      <dl className="ln-facts">
        <div>
          <dt>{t('learning.phaseLabel')}</dt>
          <dd>{t(`learning.phase.${phaseKey(row.phase)}`)}</dd>
        </div>
        <div>
          <dt>{t('learning.team.modules')}</dt>
          <dd>
            {row.modulesDone}/{row.modulesTotal}
            {row.modulesSkipped > 0 && `, ${t('learning.board.skipped', { count: row.modulesSkipped })}`}
            {row.modulesBehind > 0 && `, ${t('learning.board.behind', { count: row.modulesBehind })}`}
          </dd>
        </div>
        <div>
          <dt>{t('learning.board.attendance')}</dt>
          <dd>{row.attendanceRate === null ? '–' : `${formatNumber(row.attendanceRate, 0)}%`}</dd>
        </div>
        <div>
          <dt>{t('learning.board.lastSession')}</dt>
          <dd>{row.lastSession ? formatDateTime(row.lastSession.start) : t('learning.board.none')}</dd>
        </div>
        <div>
          <dt>{t('learning.board.nextSession')}</dt>
          <dd>{row.nextSession ? formatDateTime(row.nextSession.start) : t('learning.board.none')}</dd>
        </div>
        <div>
          <dt>{t('learning.scan.title')}</dt>
          <dd className={`ln-scan ln-scan--${row.scanStatus || 'none'}`}>{t(`learning.scanStatus.${row.scanStatus}`)}</dd>
        </div>
      </dl>
      {row.signals.length > 0 && (
        <div className="ln-signals">
          <p className="visually-hidden">{t('learning.board.signals')}</p>
          <ul>
            {row.signals.map((s) => (
              <li key={s.key} className="ln-signal" data-testid="board-signal">
                <span aria-hidden="true">⚠ </span>
                {signalText(t, s)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
