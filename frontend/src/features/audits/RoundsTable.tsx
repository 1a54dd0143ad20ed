import { useTranslation } from 'react-i18next';
import { formatScore, typeLabel } from './format';
import type { RoundSummary, ThemeRef } from './types';
import { TableRegion } from '../../components/TableRegion';

/** Results by round: progress, findings, open actions and every theme's average. */
export function RoundsTable({ rounds, themes, caption }: { rounds: RoundSummary[]; themes: ThemeRef[]; caption: string }) {
  const { t } = useTranslation();
  return (
    <TableRegion caption={caption} className="data-table audit-rounds" data-testid="audit-rounds">
      <thead>
        <tr>
          <th scope="col">{t('audits.report.round')}</th>
          <th scope="col">{t('audits.report.finished')}</th>
          <th scope="col">{t('audits.report.findings')}</th>
          <th scope="col">{t('audits.report.openActions')}</th>
          {themes.map((th) => (
            <th scope="col" key={th.key}>
              {th.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rounds.map((r) => (
          <tr key={r.round.id}>
            <th scope="row">
              {r.round.label} · {typeLabel(t, r.round.type)}
            </th>
            <td>{t('audits.report.ofTotal', { n: r.finished, total: r.audits })}</td>
            <td>{r.findings}</td>
            <td>{r.openActions}</td>
            {themes.map((th) => (
              <td key={th.key}>{formatScore(r.themes[th.key])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </TableRegion>
  );
}
