import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { MY_EXPORT_DOWNLOAD, useMyExport } from './api';
import { countItems, itemLines, SECTION_ORDER, sectionParts } from './exportView';
import './privacy.css';
import { PageHeader } from '../../components/PageHeader';

/**
 * /mijn-gegevens: what Plein holds about me (AVG right of access), readable,
 * with the complete export as a JSON download. Reached from the user menu.
 */
export function MyDataPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('privacy.my.title'));
  const data = useMyExport();
  const x = data.data;
  const sections = x ? SECTION_ORDER.filter((s) => s in x.sections) : [];
  const date = (v: string) => new Date(v).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'nl-NL');
  return (
    <div className="stack privacy" data-testid="mydata-page">
      <PageHeader title={t('privacy.my.title')} intro={t('privacy.my.intro')} />
      <section className="panel" aria-labelledby="mydata-download">
        <h2 id="mydata-download">{t('privacy.my.downloadTitle')}</h2>
        <p>{t('privacy.my.downloadText')}</p>
        <a className="button button--primary" href={MY_EXPORT_DOWNLOAD} download data-testid="mydata-download">
          {t('privacy.my.download')}
        </a>
        <p className="privacy__note">{t('privacy.my.logged')}</p>
      </section>
      {data.isPending && <Loading label={t('privacy.my.loading')} />}
      {data.isError && <ErrorAlert error={data.error} title={t('privacy.my.failed')} onRetry={() => void data.refetch()} />}
      {x && (
        <>
          <p data-testid="mydata-generated">{t('privacy.my.generated', { name: x.subject.name, at: date(x.generatedAt) })}</p>
          {sections.map((name) => (
            <section key={name} className="panel privacy__section" aria-labelledby={`mydata-${name}`} data-testid={`mydata-section-${name}`}>
              <h2 id={`mydata-${name}`}>{t(`privacy.section.${name}`)}</h2>
              <ul className="privacy__parts">
                {sectionParts(name, x.sections[name]).map((part) => {
                  const n = countItems(part.value);
                  const lines = itemLines(part.value, date);
                  return (
                    <li key={part.key} data-testid={`mydata-part-${name}-${part.key}`}>
                      <span className="privacy__part-name">{t(`privacy.part.${part.label}`)}</span>{' '}
                      <span className="privacy__count">{n === null ? lines[0] : t('privacy.count', { count: n })}</span>
                      {n !== null && lines.length > 0 && (
                        <details>
                          <summary>{t('privacy.show')}</summary>
                          <ul className="privacy__items">
                            {lines.map((line, i) => (
                              <li key={i}>{line}</li>
                            ))}
                          </ul>
                          {n > lines.length && <p className="privacy__note">{t('privacy.more', { count: n - lines.length })}</p>}
                        </details>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </>
      )}
    </div>
  );
}
