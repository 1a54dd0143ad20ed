import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  STATUS_SYMBOLS,
  TREND_ARROWS,
  formatChange,
  formatValue,
  indicatorName,
  judge,
  statusLabel,
  trendOf,
} from './format';
import type { Indicator, Suppression, TrafficLight } from './types';

/** Traffic light: colour plus a symbol plus text (never colour alone). */
export function StatusBadge({ status, compact = false }: { status: TrafficLight | undefined; compact?: boolean }) {
  const { t } = useTranslation();
  const s = status ?? 'none';
  return (
    <span className={`status status--${s}${compact ? ' status--compact' : ''}`} data-status={s}>
      <span className="status__icon" aria-hidden="true">
        {STATUS_SYMBOLS[s]}
      </span>
      <span className={compact ? 'visually-hidden' : 'status__text'}>{statusLabel(t, s)}</span>
    </span>
  );
}

/** Month-on-month change: arrow and signed number, with a full sentence for screen readers. */
export function ChangeText({
  change,
  previous,
  indicator,
  compact = false,
}: {
  change: number | null | undefined;
  previous?: number | null;
  indicator: Pick<Indicator, 'unit' | 'direction'>;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  if (change === null || change === undefined) {
    return compact ? null : <span className="change change--none">{t('dashboard.card.noChange')}</span>;
  }
  const lang = i18n.language;
  const trend = trendOf(change);
  const judgement = judge(change, indicator.direction);
  const amount = formatChange(change, indicator.unit, lang).replace(/^[+−]/, '');
  const prev = previous === null || previous === undefined ? '' : formatValue(previous, indicator.unit, lang);
  const sentence =
    trend === 'flat'
      ? t('dashboard.change.flat')
      : t(trend === 'up' ? 'dashboard.change.up' : 'dashboard.change.down', {
          amount: indicator.unit === '%' ? t('dashboard.change.points', { amount }) : amount,
        });
  const full = [sentence, prev ? t('dashboard.change.previous', { value: prev }) : '', judgement !== 'same' ? t(`dashboard.change.${judgement}`) : '']
    .filter(Boolean)
    .join(', ');
  return (
    <span className={`change change--${judgement}`} data-change={change}>
      <span aria-hidden="true">
        <span className="change__arrow">{TREND_ARROWS[trend]}</span> {formatChange(change, indicator.unit, lang)}
        {!compact && (
          <span className="change__label">
            {' '}
            {t('dashboard.change.vsPrevious')}
            {judgement !== 'same' && ` · ${t(`dashboard.change.${judgement}Short`)}`}
          </span>
        )}
      </span>
      <span className="visually-hidden">{full}</span>
    </span>
  );
}

export function targetText(t: TFunction, ind: Indicator, lang: string): string {
  if (ind.target === null || ind.target === undefined) return t('dashboard.card.noTarget');
  const value = formatValue(ind.target, ind.unit, lang);
  return ind.direction === 'lower' ? t('dashboard.card.targetAtMost', { value }) : t('dashboard.card.targetAtLeast', { value });
}

/** Note for a value withheld for privacy. */
export function suppressionNote(
  t: TFunction,
  ind: Pick<Indicator, 'key' | 'name'>,
  reason: Suppression | undefined,
  minGroupSize: number,
): string {
  if (reason === 'complementary') return t('dashboard.hidden.complementary');
  if (ind.key === 'absencePct') return t('dashboard.hidden.absence', { size: minGroupSize });
  return t('dashboard.hidden.other', { indicator: indicatorName(t, ind), size: minGroupSize });
}

interface IndicatorCardProps {
  indicator: Indicator;
  value: number | null;
  previous?: number | null;
  change: number | null;
  status: TrafficLight;
  region?: number | null;
  organisation?: number | null;
  regionLabel?: string;
  organisationLabel?: string;
  suppressed?: Suppression;
  minGroupSize: number;
  headingLevel?: 2 | 3;
  /** The trend chart (and its table). */
  children?: ReactNode;
}

/** One indicator: latest value, change, target, traffic light and comparisons. */
export function IndicatorCard({
  indicator,
  value,
  previous,
  change,
  status,
  region,
  organisation,
  regionLabel,
  organisationLabel,
  suppressed,
  minGroupSize,
  headingLevel = 2,
  children,
}: IndicatorCardProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const name = indicatorName(t, indicator);
  const perTeam = indicator.aggregate === 'sum';
  const hidden = Boolean(suppressed) && (value === null || value === undefined);
  const headingId = `ind-${indicator.key}-heading`;

  const compare = (label: string, v: number | null | undefined) => (
    <div>
      <dt>{label}</dt>
      <dd>{v === null || v === undefined ? <span className="muted">{t('dashboard.noValueShort')}</span> : formatValue(v, indicator.unit, lang)}</dd>
    </div>
  );

  return (
    <article
      className={`indicator-card indicator-card--${hidden ? 'hidden' : status}`}
      data-testid="dashboard-card"
      data-indicator={indicator.key}
      aria-labelledby={headingId}
    >
      <header className="indicator-card__header">
        <Heading id={headingId} className="indicator-card__title">
          {name}
        </Heading>
        {!hidden && <StatusBadge status={value === null ? 'none' : status} />}
      </header>
      {hidden ? (
        <div className="indicator-card__hidden" data-testid="dashboard-hidden-note">
          <p className="indicator-card__value indicator-card__value--hidden">{t('dashboard.hidden.value')}</p>
          <p className="callout callout--info">{suppressionNote(t, indicator, suppressed, minGroupSize)}</p>
        </div>
      ) : (
        <>
          <p className="indicator-card__value" data-testid="dashboard-card-value">
            {value === null || value === undefined ? (
              <span className="muted">{t('dashboard.card.noValue')}</span>
            ) : (
              formatValue(value, indicator.unit, lang)
            )}
          </p>
          <p className="indicator-card__change">
            <ChangeText change={change} previous={previous} indicator={indicator} />
          </p>
        </>
      )}
      <dl className="indicator-card__facts">
        <div>
          <dt>{t('dashboard.card.target')}</dt>
          <dd>{targetText(t, indicator, lang)}</dd>
        </div>
        {region !== undefined && compare(regionLabel ?? (perTeam ? t('dashboard.card.regionPerTeam') : t('dashboard.card.region')), region)}
        {organisation !== undefined &&
          compare(organisationLabel ?? (perTeam ? t('dashboard.card.organisationPerTeam') : t('dashboard.card.organisation')), organisation)}
      </dl>
      {children}
    </article>
  );
}
