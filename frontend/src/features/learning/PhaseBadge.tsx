import { useTranslation } from 'react-i18next';
import { phaseKey } from './format';
import type { PhaseInfo } from './types';

/** The team's phase as text and a four-step meter (not colour alone). */
export function PhaseBadge({ phase }: { phase: PhaseInfo }) {
  const { t } = useTranslation();
  const trend = phase.current - phase.start;
  const trendText = phase.trend.length < 2 ? '' : trend > 0 ? t('learning.trendUp') : trend < 0 ? t('learning.trendDown') : t('learning.trendSame');
  return (
    <p className="ln-phase" data-testid="learning-phase" data-phase={phase.current}>
      <span className="ln-phase__meter" aria-hidden="true">
        {[1, 2, 3, 4].map((n) => (
          <span key={n} className={n <= phase.current ? 'ln-phase__step ln-phase__step--on' : 'ln-phase__step'} />
        ))}
      </span>
      <span>
        {t('learning.phaseLabel')}: <strong>{t(`learning.phase.${phaseKey(phase.current)}`)}</strong>
        {phase.trend.length >= 2 && (
          <span className="ln-muted">
            {' '}
            ({t('learning.phaseFrom', { phase: t(`learning.phase.${phaseKey(phase.start)}`) })}, {trendText})
          </span>
        )}
      </span>
    </p>
  );
}
