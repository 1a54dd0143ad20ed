import { useRef, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { Field, ProblemSummary, useFieldErrors } from '../../components/form';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useCurrentUser } from '../session/api';
import { useCommitImport, useImports, usePreviewImport } from './api';
import { parseCsvForPreview, readFileText, type CsvTable } from './csv';
import { DashboardNav } from './DashboardNav';
import { IMPORT_ROLES, formatMonth, hasRole } from './format';
import type { ChangeSummary, CommitResult, ImportIssue, ImportPreview } from './types';
import type { ProblemFieldError } from '../../api/types';
import { useProblemText, type ProblemText } from '../../lib/problemText';
import { QueryView } from '../../components/QueryView';
import { TableRegion } from '../../components/TableRegion';
import { PageHeader } from '../../components/PageHeader';

/**
 * Turns problem+json field errors ("rows[12].absencePct") into issues with a
 * row number. An import issue (code import_issue) carries the import's own
 * Dutch explanation; any other refusal is said from its code.
 */
export function issuesFromProblem(errors: ProblemFieldError[], text: ProblemText): ImportIssue[] {
  return errors.map((e) => {
    const m = /^rows\[(\d+)\](?:\.(.+))?$/.exec(e.field ?? '');
    const message = e.code === 'import_issue' ? e.message : text.fieldLine(e);
    return { row: m ? Number(m[1]) : 0, field: e.field ?? '', column: undefined, message };
  });
}

/** /dashboard/import: upload a CSV, preview with per-row errors, commit, history. */
export function ImportPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const allowed = hasRole(user.roles, ...IMPORT_ROLES);
  useDocumentTitle(t('dashboard.import.documentTitle'));

  return (
    <div className="stack dash dash--import">
      <DashboardNav />
      <PageHeader title={t('dashboard.import.title')}>
        {allowed && <p className="page-header__intro">{t('dashboard.import.intro')}</p>}
      </PageHeader>
      {allowed ? (
        <>
          <ImportForm />
          <ImportHistory />
        </>
      ) : (
        <div className="empty-state" data-testid="import-no-access">
          <p className="empty-state__title">{t('dashboard.import.noAccessTitle')}</p>
          <p>{t('dashboard.import.noAccessBody')}</p>
          <p>
            <Link to="/dashboard" className="arrow-link">
              {t('dashboard.import.backToDashboard')}
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}

function ImportForm() {
  const { t } = useTranslation();
  const say = useProblemText();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [table, setTable] = useState<CsvTable | null>(null);
  const [issues, setIssues] = useState<ImportIssue[] | null>(null);
  const preview = usePreviewImport();
  const commit = useCommitImport();
  const [result, setResult] = useState<CommitResult | null>(null);
  const [noFile, setNoFile] = useState(0);

  const reset = () => {
    preview.reset();
    commit.reset();
    setIssues(null);
    setTable(null);
    setResult(null);
  };

  const onPreview = async (event: FormEvent) => {
    event.preventDefault();
    if (preview.isPending) return;
    const chosen = inputRef.current?.files?.[0] ?? file;
    if (!chosen) {
      reset();
      setNoFile((n) => n + 1);
      return;
    }
    reset();
    setNoFile(0);
    setFile(chosen);
    readFileText(chosen)
      .then((text) => setTable(parseCsvForPreview(text)))
      .catch(() => setTable(null));
    try {
      const p = await preview.mutateAsync(chosen);
      setIssues(p.errors ?? []);
    } catch (error) {
      if (isApiError(error) && error.status === 422 && error.errors.length > 0) setIssues(issuesFromProblem(error.errors, say));
    }
  };

  const onCommit = async () => {
    if (!file) return;
    try {
      const r = await commit.mutateAsync(file);
      setResult(r);
    } catch (error) {
      // The figures changed since the preview (or the file did): show the rows again.
      if (isApiError(error) && error.status === 422 && error.errors.length > 0) setIssues(issuesFromProblem(error.errors, say));
    }
  };

  const p: ImportPreview | undefined = preview.data;
  const hasErrors = (issues?.length ?? 0) > 0;
  const canCommit = Boolean(file && p && p.valid && !hasErrors && !result && !commit.isPending);
  // A refusal of the file itself (too large, wrong type) stands at the field; row issues stand in the preview.
  const refusal = hasErrors ? null : (commit.error ?? preview.error);
  const errors = useFieldErrors(refusal, { client: noFile > 0 ? [{ field: 'file', message: t('dashboard.import.chooseFile') }] : [] });

  return (
    <section className="panel import" aria-labelledby="import-upload">
      <h2 id="import-upload">{t('dashboard.import.uploadTitle')}</h2>
      <form className="import__form" onSubmit={onPreview} noValidate>
        <ProblemSummary
          error={refusal}
          title={refusal ? t(commit.error ? 'dashboard.import.commitFailed' : 'dashboard.import.previewFailed') : undefined}
          errors={errors}
          fields={['file']}
          idOf={() => 'import-file'}
          focusKey={noFile}
          testId="import-problem"
        />
        <Field className="dash-filter" id="import-file" name="file" label={t('dashboard.import.fileLabel')} hint={t('dashboard.import.fileHint')} error={errors.of('file')}>
          {(c) => (
            <input
              {...c}
              ref={inputRef}
              name="file"
              type="file"
              accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              className="input import__file"
              data-testid="import-file"
              onChange={(e) => {
                reset();
                setNoFile(0);
                setFile(e.target.files?.[0] ?? null);
              }}
            />
          )}
        </Field>
        <div className="import__actions">
          <button type="submit" className="button button--secondary" data-testid="import-preview-button" aria-disabled={preview.isPending || undefined}>
            {preview.isPending ? t('dashboard.import.previewing') : t('dashboard.import.preview')}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="import-commit"
            disabled={!canCommit}
            onClick={() => void onCommit()}
          >
            {commit.isPending ? t('dashboard.import.committing') : t('dashboard.import.commit')}
          </button>
        </div>
        {!canCommit && !result && <p className="field-hint">{t('dashboard.import.commitHint')}</p>}
      </form>


      {result && <CommitSuccess result={result} />}

      {(p || issues) && !result && (
        <div className="import__preview" data-testid="import-preview" data-valid={hasErrors ? 'false' : 'true'}>
          <h3>{t('dashboard.import.previewTitle', { file: p?.fileName ?? file?.name ?? '' })}</h3>
          {hasErrors ? (
            <div className="callout callout--error" role="alert">
              <p className="callout__title">{t('dashboard.import.errorsTitle', { count: issues!.length })}</p>
              <p>{t('dashboard.import.errorsBody')}</p>
              <ul className="import__errors">
                {issues!.map((issue, i) => (
                  <li key={`${issue.field}-${i}`} data-testid="import-error" data-row={issue.row} data-field={issue.field}>
                    {issue.row > 0 ? (
                      <a href={`#import-row-${issue.row}`}>{issue.message}</a>
                    ) : (
                      issue.message
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            p && <PreviewSummary preview={p} />
          )}
          {table && table.header.length > 0 && <PreviewTable table={table} issues={issues ?? []} />}
        </div>
      )}
    </section>
  );
}

function summaryParts(t: TFunction, s: ChangeSummary): string[] {
  return [
    t('dashboard.import.summary.teamMonths', { count: s.teamMonths }),
    t('dashboard.import.summary.newTeamMonths', { count: s.newTeamMonths }),
    t('dashboard.import.summary.added', { count: s.added }),
    t('dashboard.import.summary.changed', { count: s.changed }),
    t('dashboard.import.summary.cleared', { count: s.cleared }),
  ];
}

function PreviewSummary({ preview }: { preview: ImportPreview }) {
  const { t, i18n } = useTranslation();
  const months = [...new Set((preview.figures ?? []).map((f) => f.month))].sort();
  return (
    <div className="callout callout--ok" role="status">
      <p className="callout__title">{t('dashboard.import.valid', { count: preview.rows })}</p>
      {months.length > 0 && (
        <p>{t('dashboard.import.months', { months: months.map((m) => formatMonth(m, i18n.language)).join(', ') })}</p>
      )}
      {preview.summary && (
        <ul className="import__summary">
          {summaryParts(t, preview.summary).map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      {preview.duplicateOf && <p>{t('dashboard.import.duplicate', { id: preview.duplicateOf })}</p>}
    </div>
  );
}

function PreviewTable({ table, issues }: { table: CsvTable; issues: ImportIssue[] }) {
  const { t } = useTranslation();
  const byRow = new Map<number, ImportIssue[]>();
  for (const issue of issues) {
    if (issue.row > 0) byRow.set(issue.row, [...(byRow.get(issue.row) ?? []), issue]);
  }
  const width = Math.max(table.header.length, ...table.rows.map((r) => r.cells.length));
  return (
    <TableRegion
      caption={t('dashboard.import.tableCaption', { count: table.rows.length })}
      className="data-table data-table--compact import__table"
    >
      <thead>
        <tr>
          <th scope="col" className="num">
            {t('dashboard.import.row')}
          </th>
          {Array.from({ length: width }, (_, i) => (
            <th scope="col" key={i}>
              {table.header[i] ?? ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => {
          const rowIssues = byRow.get(r.row) ?? [];
          const badColumns = new Set(rowIssues.map((i) => (i.column ?? '').toLowerCase()).filter(Boolean));
          return (
            <tr key={r.row} id={`import-row-${r.row}`} className={rowIssues.length ? 'row--error' : undefined} tabIndex={-1}>
              <th scope="row" className="num">
                {rowIssues.length > 0 && (
                  <span className="row-error-icon" aria-hidden="true">
                    ⚠{' '}
                  </span>
                )}
                {r.row}
                {rowIssues.length > 0 && <span className="visually-hidden"> ({t('dashboard.import.rowHasErrors', { count: rowIssues.length })})</span>}
              </th>
              {Array.from({ length: width }, (_, i) => {
                const bad = badColumns.has((table.header[i] ?? '').toLowerCase());
                return (
                  <td key={i} className={bad ? 'cell--error' : undefined}>
                    {r.cells[i] ?? ''}
                    {bad && <span className="visually-hidden"> ({t('dashboard.import.cellError')})</span>}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </TableRegion>
  );
}

function CommitSuccess({ result }: { result: CommitResult }) {
  const { t } = useTranslation();
  return (
    <div className="callout callout--ok" role="status" data-testid="import-success" data-import-id={result.import?.id ?? ''}>
      {result.import ? (
        <>
          <p className="callout__title">{t('dashboard.import.success', { id: result.import.id })}</p>
          <ul className="import__summary">
            {summaryParts(t, result.summary).map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <p>
            <Link to="/dashboard/organisation" className="arrow-link">
              {t('dashboard.import.viewFigures')}
            </Link>
          </p>
        </>
      ) : (
        <p className="callout__title">
          {result.duplicateOf
            ? t('dashboard.import.unchangedDuplicate', { id: result.duplicateOf })
            : t('dashboard.import.unchanged')}
        </p>
      )}
    </div>
  );
}

function ImportHistory() {
  const { t, i18n } = useTranslation();
  const imports = useImports();
  const dateFmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="panel" aria-labelledby="import-history">
      <h2 id="import-history">{t('dashboard.import.historyTitle')}</h2>
      <QueryView query={imports} loading={t('dashboard.loading')} empty={t('dashboard.import.historyEmpty')}>
        {(data) => (
          <ul className="import-history" data-testid="import-history">
            {data.map((im) => (
              <li key={im.id} className="import-history__item">
                <p className="import-history__title">
                  <strong>{im.fileName || im.source || im.kind}</strong>{' '}
                  <span className="muted small">
                    {t('dashboard.import.historyBy', { name: im.byName || im.by, date: dateFmt.format(new Date(im.at)) })}
                  </span>
                </p>
                <p className="small">
                  {im.firstMonth === im.lastMonth
                    ? t('dashboard.import.historyMonth', { month: formatMonth(im.firstMonth, i18n.language), count: im.rows })
                    : t('dashboard.import.historyMonths', {
                        from: formatMonth(im.firstMonth, i18n.language),
                        to: formatMonth(im.lastMonth, i18n.language),
                        count: im.rows,
                      })}{' '}
                  · {summaryParts(t, im.summary).slice(1).join(' · ')}
                </p>
                <p className="small muted">
                  {t('dashboard.import.historyId')}: <code>{im.id}</code>
                </p>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}
