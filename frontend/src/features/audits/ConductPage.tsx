import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, FieldError, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { Loading } from '../../components/Loading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { auditKeys, photoUrl, uploadPhoto, useAudit, useFinishAudit } from './api';
import { scoreLabel, typeLabel } from './format';
import { enqueue, flush, newClientId, pending } from './offline';
import { SCORES, type AnswerInput, type Audit, type Criterion, type Score } from './types';
import { PageHeader } from '../../components/PageHeader';

interface Item {
  themeName: string;
  criterion: Criterion;
}

/** /audits/:auditId/uitvoeren: the auditor goes through the criteria one by one, on a phone or tablet. */
export function ConductPage() {
  const { t } = useTranslation();
  const { auditId = '' } = useParams();
  const audit = useAudit(auditId);
  useDocumentTitle(audit.data ? t('audits.conduct.documentTitle', { team: audit.data.teamName }) : t('audits.title'));
  if (audit.isPending) return <Loading label={t('audits.loading')} />;
  if (audit.isError) return <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />;
  if (!audit.data.can?.conduct) {
    return (
      <div className="stack">
        <h1>{t('audits.conduct.heading', { team: audit.data.teamName })}</h1>
        <p>{audit.data.status === 'finished' ? t('audits.conduct.finishedAlready') : t('audits.conduct.notYours')}</p>
        <p>
          <Link to={`/audits/${encodeURIComponent(auditId)}`} className="arrow-link">
            {t('audits.conduct.toAudit')}
          </Link>
        </p>
      </div>
    );
  }
  return <Conduct audit={audit.data} />;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function Conduct({ audit }: { audit: Audit }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const online = useOnline();
  const [queue, setQueue] = useState<AnswerInput[]>(() => pending(audit.id));
  const [syncError, setSyncError] = useState<unknown>(null);
  const items = useMemo<Item[]>(
    () => (audit.template?.themes ?? []).flatMap((th) => th.criteria.map((criterion) => ({ themeName: th.name, criterion }))),
    [audit.template],
  );
  const answers = useMemo(() => {
    const m = new Map<string, { score: Score; note: string }>();
    for (const a of audit.answers ?? []) m.set(a.criterion, { score: a.score, note: a.note });
    for (const a of queue) m.set(a.criterion, { score: a.score, note: a.note });
    return m;
  }, [audit.answers, queue]);
  const [step, setStep] = useState(() => {
    const i = items.findIndex((it) => !answers.has(it.criterion.key));
    return i < 0 ? items.length : i;
  });

  const sync = useCallback(async () => {
    try {
      const fresh = await flush(audit.id);
      if (fresh) client.setQueryData(auditKeys.audit(audit.id), fresh);
      setSyncError(null);
    } catch (err) {
      setSyncError(err);
    }
    setQueue(pending(audit.id));
  }, [audit.id, client]);

  useEffect(() => {
    void sync();
    const onQueue = () => setQueue(pending(audit.id));
    const onOnline = () => void sync();
    window.addEventListener('plein-audit-queue', onQueue);
    window.addEventListener('online', onOnline);
    const timer = window.setInterval(() => {
      if (pending(audit.id).length > 0 && navigator.onLine) void sync();
    }, 15000);
    return () => {
      window.removeEventListener('plein-audit-queue', onQueue);
      window.removeEventListener('online', onOnline);
      window.clearInterval(timer);
    };
  }, [audit.id, sync]);

  const save = (criterion: string, score: Score, note: string) => {
    const prev = answers.get(criterion);
    if (!prev || prev.score !== score || prev.note !== note) {
      enqueue(audit.id, { clientId: newClientId(), criterion, score, note });
      setQueue(pending(audit.id));
      if (navigator.onLine) void sync();
    }
    setStep((s) => Math.min(s + 1, items.length));
  };

  const answered = items.filter((it) => answers.has(it.criterion.key)).length;
  const item = step < items.length ? items[step] : undefined;

  return (
    <div className="stack audit-conduct">
      <PageHeader
        title={t('audits.conduct.heading', { team: audit.teamName })}
        meta={<>{typeLabel(t, audit.type)} · {audit.roundLabel} · {audit.regionName}</>}
      />
      <SyncStatus online={online} count={queue.length} />
      {syncError !== null && <ErrorAlert error={syncError} />}
      <div className="audit-progress">
        <progress max={items.length} value={answered} aria-labelledby="audit-progress-label" />
        <span id="audit-progress-label">{t('audits.conduct.progress', { answered, total: items.length })}</span>
      </div>
      <JumpTo items={items} step={step} answered={answers} onJump={setStep} />
      {item ? (
        <CriterionStep
          key={item.criterion.key}
          audit={audit}
          item={item}
          index={step}
          total={items.length}
          initial={answers.get(item.criterion.key)}
          online={online}
          onSave={(score, note) => save(item.criterion.key, score, note)}
          onBack={step > 0 ? () => setStep(step - 1) : undefined}
        />
      ) : (
        <FinishStep
          audit={audit}
          items={items}
          answers={answers}
          pendingCount={queue.length}
          online={online}
          onJump={setStep}
          onFinished={() => navigate(`/audits/${encodeURIComponent(audit.id)}`)}
        />
      )}
    </div>
  );
}

function SyncStatus({ online, count }: { online: boolean; count: number }) {
  const { t } = useTranslation();
  let text: string;
  let kind: string;
  if (!online) {
    kind = 'offline';
    text = count > 0 ? t('audits.sync.offlinePending', { count }) : t('audits.sync.offline');
  } else if (count > 0) {
    kind = 'pending';
    text = t('audits.sync.sending', { count });
  } else {
    kind = 'saved';
    text = t('audits.sync.saved');
  }
  return (
    <p className={`audit-sync audit-sync--${kind}`} role="status" data-testid="audit-sync" data-pending={count} data-online={online}>
      {text}
    </p>
  );
}

function JumpTo({
  items,
  step,
  answered,
  onJump,
}: {
  items: Item[];
  step: number;
  answered: Map<string, unknown>;
  onJump: (i: number) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="audit-jump">
      <label htmlFor={id} className="field-label">
        {t('audits.conduct.jump')}
      </label>
      <select id={id} className="input" value={step} onChange={(e) => onJump(Number(e.target.value))}>
        {items.map((it, i) => (
          <option key={it.criterion.key} value={i}>
            {`${i + 1}. ${answered.has(it.criterion.key) ? '✓ ' : ''}${it.criterion.text}`}
          </option>
        ))}
        <option value={items.length}>{t('audits.conduct.finishStep')}</option>
      </select>
    </div>
  );
}

function CriterionStep({
  audit,
  item,
  index,
  total,
  initial,
  online,
  onSave,
  onBack,
}: {
  audit: Audit;
  item: Item;
  index: number;
  total: number;
  initial?: { score: Score; note: string };
  online: boolean;
  onSave: (score: Score, note: string) => void;
  onBack?: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [score, setScore] = useState<Score | ''>(initial?.score ?? '');
  const [note, setNote] = useState(initial?.note ?? '');
  const [tries, setTries] = useState(0);
  const [photoError, setPhotoError] = useState<unknown>(null);
  const [uploading, setUploading] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const fid = useFieldIds();
  const errors = useFieldErrors(null, { client: tries > 0 && !score ? [{ field: 'score', message: t('audits.conduct.chooseScore') }] : [] });
  const scoreError = errors.of('score');
  const photoId = useId();
  const guidanceId = useId();
  const photos = (audit.photos ?? []).filter((p) => p.criterion === item.criterion.key);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const addPhoto = async (file: File | undefined) => {
    if (!file) return;
    setPhotoError(null);
    setUploading(true);
    try {
      await uploadPhoto(audit.id, item.criterion.key, newClientId(), file);
      await client.invalidateQueries({ queryKey: auditKeys.audit(audit.id) });
    } catch (err) {
      setPhotoError(err);
    } finally {
      setUploading(false);
    }
  };

  return (
    <form
      className="audit-step stack stack--tight"
      data-testid="audit-step"
      data-criterion={item.criterion.key}
      onSubmit={(e) => {
        e.preventDefault();
        if (!score) {
          setTries((n) => n + 1);
          return;
        }
        onSave(score, note.trim());
      }}
      noValidate
    >
      <ProblemSummary error={null} errors={errors} fields={['score']} idOf={fid} focusKey={tries} testId="audit-step-problem" />
      <p className="audit-step__count">{t('audits.conduct.step', { n: index + 1, total, theme: item.themeName })}</p>
      <h2 ref={heading} tabIndex={-1} className="audit-step__criterion">
        {item.criterion.text}
      </h2>
      {item.criterion.guidance && (
        <p id={guidanceId} className="field-hint">
          {item.criterion.guidance}
        </p>
      )}
      <fieldset className="audit-scores" aria-describedby={scoreError ? `${fid('score')}-error` : undefined}>
        <legend className="field-label">{t('audits.conduct.scoreLegend')}</legend>
        {SCORES.map((s, i) => (
          <label key={s} className={`audit-score audit-score--${s}`}>
            <input
              id={i === 0 ? fid('score') : undefined}
              type="radio"
              name="score"
              value={s}
              checked={score === s}
              onChange={() => setScore(s)}
            />
            <span>{scoreLabel(t, s)}</span>
          </label>
        ))}
        <FieldError id={`${fid('score')}-error`} message={scoreError} testId="error-score" />
      </fieldset>
      <Field label={t('audits.conduct.note')} name="note">
        {(c) => <textarea {...c} className="input audit-textarea" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />}
      </Field>

      <div className="audit-photo stack stack--tight">
        <p className="callout callout--warning audit-photo__warning" data-testid="photo-warning">
          {t('audits.conduct.photoWarning')}
        </p>
        <label htmlFor={photoId} className="field-label">
          {t('audits.conduct.photo')}
        </label>
        <input
          id={photoId}
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          capture="environment"
          disabled={!online || uploading}
          aria-describedby={`${photoId}-hint`}
          onChange={(e) => {
            void addPhoto(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <p id={`${photoId}-hint`} className="field-hint">
          {online ? t('audits.conduct.photoHint') : t('audits.conduct.photoOffline')}
        </p>
        {uploading && <p role="status">{t('audits.conduct.photoUploading')}</p>}
        {photoError !== null && <ErrorAlert error={photoError} />}
        {photos.length > 0 && (
          <ul className="audit-photos">
            {photos.map((p) => (
              <li key={p.id}>
                <img src={photoUrl(audit.id, p.id)} alt={t('audits.conduct.photoAlt', { name: p.name })} loading="lazy" />
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="audit-buttons audit-buttons--nav">
        {onBack && (
          <button type="button" className="button button--secondary" onClick={onBack}>
            {t('audits.conduct.previous')}
          </button>
        )}
        <button type="submit" className="button button--primary" data-testid="audit-next">
          {t('audits.conduct.saveNext')}
        </button>
      </div>
    </form>
  );
}

function FinishStep({
  audit,
  items,
  answers,
  pendingCount,
  online,
  onJump,
  onFinished,
}: {
  audit: Audit;
  items: Item[];
  answers: Map<string, { score: Score }>;
  pendingCount: number;
  online: boolean;
  onJump: (i: number) => void;
  onFinished: () => void;
}) {
  const { t } = useTranslation();
  const finish = useFinishAudit(audit.id);
  const [summary, setSummary] = useState(audit.summary ?? '');
  const heading = useRef<HTMLHeadingElement>(null);
  const summaryId = useId();
  const open = items.map((it, i) => ({ it, i })).filter(({ it }) => !answers.has(it.criterion.key));
  const findings = items.filter((it) => {
    const s = answers.get(it.criterion.key)?.score;
    return s === 'deels' || s === 'voldoet_niet';
  }).length;
  const blocked = open.length > 0 ? t('audits.conduct.unanswered', { count: open.length }) : pendingCount > 0 ? t('audits.conduct.waitSync') : '';
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="audit-step stack stack--tight" aria-labelledby="audit-finish">
      <h2 id="audit-finish" ref={heading} tabIndex={-1}>
        {t('audits.conduct.finishStep')}
      </h2>
      <p>{t('audits.conduct.findingsPreview', { count: findings })}</p>
      {open.length > 0 && (
        <ul className="audit-open-list">
          {open.map(({ it, i }) => (
            <li key={it.criterion.key}>
              <button type="button" className="button button--quiet" onClick={() => onJump(i)}>
                {`${i + 1}. ${it.criterion.text}`}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={summaryId} className="field-label">
        {t('audits.conduct.summary')}
      </label>
      <textarea id={summaryId} className="input audit-textarea" value={summary} maxLength={4000} onChange={(e) => setSummary(e.target.value)} />
      {blocked && <p className="field-hint">{blocked}</p>}
      {finish.isError && <ErrorAlert error={finish.error} />}
      <div className="audit-buttons">
        <button
          type="button"
          className="button button--primary"
          data-testid="audit-finish"
          aria-disabled={Boolean(blocked) || !online || finish.isPending || undefined}
          onClick={() => {
            if (blocked || !online || finish.isPending) return;
            finish.mutate(summary.trim(), { onSuccess: onFinished });
          }}
        >
          {t('audits.conduct.finish')}
        </button>
      </div>
      {!online && <p className="field-hint">{t('audits.conduct.finishOffline')}</p>}
    </section>
  );
}
