import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { csvUrl, useCriterionReport, useHeatmap, useRounds, useRoundsReport, useTemplates } from './api';
import { band, formatScore, scoreLabel, typeLabel } from './format';
import { RoundsTable } from './RoundsTable';
import { SCORES, type Heatmap } from './types';
import { QueryView } from '../../components/QueryView';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/** /audits/rapportage: heat map teams × themes, results by round, CSV and print. */
export function ReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('audits.report.title'));
  const [search, setSearch] = useSearchParams();
  const round = search.get('ronde') ?? undefined;
  const rounds = useRounds();
  const heat = useHeatmap(round);
  const byRound = useRoundsReport();
  const selectId = useId();
  const current = heat.data?.round.id ?? round ?? '';
  return (
    <div className="stack audit-reports audit-print">
      <PageHeader
        title={t('audits.report.title')}
        intro={t('audits.report.intro')}
        meta={<Link to="/audits">{t('audits.title')}</Link>}
      />
      <div className="audit-toolbar no-print">
        <div>
          <label htmlFor={selectId} className="field-label">
            {t('audits.report.round')}
          </label>
          <select
            id={selectId}
            className="input"
            value={current}
            onChange={(e) => setSearch(e.target.value ? { ronde: e.target.value } : {})}
          >
            {(rounds.data ?? [])
              .filter((r) => r.status !== 'planning')
              .map((r) => (
                <option key={r.id} value={r.id}>
                  {`${r.label} · ${typeLabel(t, r.type)}`}
                </option>
              ))}
          </select>
        </div>
        <a className="button button--secondary" href={csvUrl(current || undefined)} download>
          {t('audits.report.csv')}
        </a>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t('audits.print')}
        </button>
      </div>
      <QueryView query={heat} loading={t('audits.loading')}>
        {(data) => <HeatmapView heat={data} />}
      </QueryView>
      <section aria-labelledby="report-rounds" className="stack stack--tight">
        <h2 id="report-rounds">{t('audits.report.byRound')}</h2>
        {byRound.data && <RoundsTable rounds={byRound.data.items} themes={byRound.data.themes} caption={t('audits.report.byRound')} />}
      </section>
      <CriterionOverTime />
    </div>
  );
}

function CriterionOverTime() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const [key, setKey] = useState('');
  const report = useCriterionReport(key);
  const id = useId();
  const tpl = templates.data?.[0];
  return (
    <section aria-labelledby="report-criterion" className="stack stack--tight">
      <h2 id="report-criterion">{t('audits.report.criterion')}</h2>
      <label htmlFor={id} className="field-label no-print">
        {t('audits.report.criterionChoose')}
      </label>
      <select id={id} className="input no-print" value={key} onChange={(e) => setKey(e.target.value)}>
        <option value="">{t('audits.report.criterionChoose')}</option>
        {tpl?.themes.map((th) => (
          <optgroup key={th.key} label={th.name}>
            {th.criteria.map((c) => (
              <option key={c.key} value={c.key}>
                {c.text}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {report.data && (
        <TableRegion
          caption={t('audits.report.criterionCaption', { criterion: report.data.criterion.text })}
          label={t('audits.report.criterion')}
          className="data-table"
          data-testid="criterion-table"
        >
          <thead>
            <tr>
              <th scope="col">{t('audits.report.round')}</th>
              {SCORES.map((s) => (
                <th scope="col" key={s}>
                  {scoreLabel(t, s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {report.data.points.map((p) => (
              <tr key={p.roundId}>
                <th scope="row">{`${p.label} · ${typeLabel(t, p.type)}`}</th>
                {SCORES.map((s) => (
                  <td key={s}>{p.counts[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </section>
  );
}

function HeatmapView({ heat }: { heat: Heatmap }) {
  const { t } = useTranslation();
  const [asTable, setAsTable] = useState(false);
  const caption = t('audits.report.heatmapCaption', { round: heat.round.label, type: typeLabel(t, heat.round.type) });
  return (
    <section aria-labelledby="report-heatmap" className="stack stack--tight">
      <div className="audit-toolbar">
        <h2 id="report-heatmap">{t('audits.report.heatmap')}</h2>
        <button type="button" className="button button--quiet no-print" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {t('audits.report.showTable')}
        </button>
      </div>
      {!asTable && (
        <ul className="audit-legend" aria-label={t('audits.report.legend')}>
          {(['good', 'fair', 'poor', 'none'] as const).map((b) => (
            <li key={b}>
              <span className={`audit-heat audit-heat--${b}`} aria-hidden="true" /> {t(`audits.band.${b}`)}
            </li>
          ))}
        </ul>
      )}
      {heat.rows.length === 0 ? (
        <p>{t('audits.report.noRows')}</p>
      ) : (
        <TableRegion
          caption={caption}
          className={`data-table ${asTable ? '' : 'audit-heatmap'}`}
          data-testid={asTable ? 'heat-table' : 'heatmap'}
        >
          <thead>
            <tr>
              <th scope="col">{t('audits.region.team')}</th>
              {heat.themes.map((th) => (
                <th scope="col" key={th.key}>
                  {th.name}
                </th>
              ))}
              <th scope="col">{t('audits.report.total')}</th>
            </tr>
          </thead>
          <tbody>
            {heat.rows.map((r) => (
              <tr key={r.teamId}>
                <th scope="row">
                  <Link to={`/audits/${encodeURIComponent(r.auditId)}`}>{r.teamName}</Link>
                  <span className="audit-heat__region">{r.regionName}</span>
                </th>
                {heat.themes.map((th) => {
                  const v = r.scores[th.key];
                  const b = band(v);
                  return (
                    <td key={th.key} className={asTable ? undefined : `audit-heat audit-heat--${b}`}>
                      {formatScore(v)}
                      {!asTable && <span className="visually-hidden"> {t(`audits.band.${b}`)}</span>}
                    </td>
                  );
                })}
                <td>{r.status === 'finished' ? formatScore(r.total) : t('audits.report.notFinished')}</td>
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </section>
  );
}
