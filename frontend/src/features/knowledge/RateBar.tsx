import { useTranslation } from 'react-i18next';
import { formatRate } from './format';

/**
 * A horizontal bar for a confirmation rate (0..1) with the percentage as
 * text. The bar is an SVG drawn with presentation attributes only, so the
 * strict CSP (no inline styles) holds; the number carries the meaning.
 */
export function RateBar({ rate, label }: { rate: number; label?: string }) {
  const { i18n } = useTranslation();
  const safe = Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
  const pct = Math.round(safe * 1000) / 10;
  const level = safe >= 0.9 ? 'high' : safe >= 0.6 ? 'mid' : 'low';
  return (
    <span className={`kb-rate kb-rate--${level}`} data-rate={safe}>
      <svg className="kb-rate__bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect className="kb-rate__track" x="0" y="0" width="100" height="8" rx="4" />
        {pct > 0 && <rect className="kb-rate__fill" x="0" y="0" width={pct} height="8" rx="4" />}
      </svg>
      <span className="kb-rate__value">
        {label && <span className="visually-hidden">{label}: </span>}
        {formatRate(safe, i18n.language)}
      </span>
    </span>
  );
}
