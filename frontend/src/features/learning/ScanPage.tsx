import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useAnswerScan, useQuestions, useTeamLearning } from './api';
import { localTheme } from './themes';
import './learning.css';

/** The team scan on a phone: six questions, one tap each. */
export function ScanPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('learning.scan.title'));
  const { teamId = '' } = useParams();
  const team = useTeamLearning(teamId);
  const q = useQuestions();
  const open = team.data?.scans.find((s) => s.open);
  const answer = useAnswerScan(open?.id ?? '');
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [missing, setMissing] = useState(false);
  const back = (
    <p>
      <Link className="arrow-link" to={`/leren/team/${encodeURIComponent(teamId)}`}>
        {t('learning.scan.back')}
      </Link>
    </p>
  );
  if (team.isPending || q.isPending) return <p>{t('learning.loading')}</p>;
  if (team.isError) return <ErrorAlert error={team.error} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.data.themes.some((th) => !answers[th.key])) {
      setMissing(true);
      return;
    }
    answer.mutate(answers);
  };
  return (
    <div className="stack ln ln-scanpage">
      <header className="page-header">
        <h1>
          {t('learning.scan.title')} · {team.data.team.name}
        </h1>
        <p className="page-header__intro">{t('learning.scan.intro', { min: q.data.minRespondents })}</p>
      </header>
      {(!open || open.answeredByMe || answer.isSuccess) && (
        <div className="callout callout--ok" role="status" data-testid="scan-done">
          <p>{open ? t('learning.scan.answered') : t('learning.scan.none')}</p>
        </div>
      )}
      {open && open.canAnswer && !answer.isSuccess && (
        <form className="stack" onSubmit={submit} data-testid="scan-form">
          {q.data.themes.map((raw) => localTheme(t, raw)).map((th, i) => (
            <fieldset key={th.key} className="card ln-question">
              <legend className="ln-question__legend">
                <span className="ln-muted">
                  {i + 1}/{q.data.themes.length} · {th.title}
                </span>{' '}
                <strong>{th.question}</strong>
              </legend>
              {th.statements.map((st, k) => (
                <label key={st} className="ln-option">
                  <input
                    type="radio"
                    name={th.key}
                    value={k + 1}
                    checked={answers[th.key] === k + 1}
                    onChange={() => {
                      setMissing(false);
                      setAnswers((a) => ({ ...a, [th.key]: k + 1 }));
                    }}
                  />
                  <span>{st}</span>
                </label>
              ))}
            </fieldset>
          ))}
          {missing && (
            <p className="ln-error" role="alert">
              {t('learning.scan.missing')}
            </p>
          )}
          {answer.isError && <ErrorAlert error={answer.error} />}
          <p>
            <button type="submit" className="button button--primary button--large" disabled={answer.isPending} data-testid="scan-submit">
              {t('learning.scan.submit')}
            </button>
          </p>
        </form>
      )}
      {back}
    </div>
  );
}
