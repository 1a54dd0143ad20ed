import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FieldError, ProblemSummary, useFieldErrors, useFieldIds } from '../../components/form';
import { useCreateSession, useTeamLearning } from './api';
import type { Ref } from './types';

/** Local date and time (Europe/Amsterdam in practice: the browser's zone) as RFC 3339 with offset. */
function toRFC3339(date: string, time: string): string {
  const d = new Date(`${date}T${time}:00`);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${date}T${time}:00${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The form's fields, top to bottom, by the server's names. */
const PLAN_FIELDS = ['teamIds', 'moduleKey', 'title', 'date', 'start', 'end', 'place', 'link', 'capacity'];

/** A coach plans a session for one or more of the teams they coach. */
export function PlanSessionForm({ teams, onDone }: { teams: Ref[]; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [chosen, setChosen] = useState<string[]>(teams.length === 1 && teams[0] ? [teams[0].id] : []);
  const first = useTeamLearning(chosen[0] ?? '');
  const [form, setForm] = useState({ moduleKey: '', title: '', date: today(), start: '13:30', end: '16:00', place: '', link: '', capacity: 30 });
  const create = useCreateSession();
  const [done, setDone] = useState(false);
  const [missingTeam, setMissingTeam] = useState(false);
  const [tries, setTries] = useState(0);
  const fid = useFieldIds();
  const errors = useFieldErrors(create.error, { client: missingTeam ? [{ field: 'teamIds', message: t('learning.plan.chooseTeam') }] : [] });
  const modules = first.data?.modules ?? [];
  const moduleKey = form.moduleKey || modules.find((m) => m.status === 'planned')?.key || modules[0]?.key || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    if (chosen.length === 0) {
      setMissingTeam(true);
      setTries((n) => n + 1);
      return;
    }
    create.mutate(
      {
        moduleKey,
        title: form.title,
        teamIds: chosen,
        start: toRFC3339(form.date, form.start),
        end: toRFC3339(form.date, form.end),
        place: form.place,
        link: form.link,
        capacity: Number(form.capacity),
      },
      { onSuccess: () => setDone(true) },
    );
  };
  if (done) {
    return (
      <div className="callout callout--ok" role="status" data-testid="plan-done">
        <p>{t('learning.plan.done')}</p>
        <button type="button" className="button button--secondary" onClick={onDone}>
          OK
        </button>
      </div>
    );
  }
  return (
    <form className="card stack ln-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-testid="plan-session">
      <h2 id={`${id}-title`}>{t('learning.plan.title')}</h2>
      <ProblemSummary error={create.error} errors={errors} fields={PLAN_FIELDS} idOf={fid} focusKey={tries} testId="plan-problem" />
      <fieldset className="ln-fieldset" aria-describedby={errors.of('teamIds') ? fid('teamIds-error') : undefined}>
        <legend className="field-label">{t('learning.plan.teams')}</legend>
        <div className="ln-checks">
          {teams.map((tm) => (
            <label key={tm.id} className="ln-check">
              <input
                id={tm.id === teams[0]?.id ? fid('teamIds') : undefined}
                type="checkbox"
                checked={chosen.includes(tm.id)}
                onChange={(e) => {
                  setMissingTeam(false);
                  setChosen((c) => (e.target.checked ? [...c, tm.id] : c.filter((x) => x !== tm.id)));
                }}
              />{' '}
              {tm.name}
            </label>
          ))}
        </div>
        <FieldError id={fid('teamIds-error')} message={errors.of('teamIds')} testId="error-teamIds" />
      </fieldset>
      <Field className="ln-field" id={fid('moduleKey')} name="moduleKey" label={t('learning.plan.module')} error={errors.of('moduleKey')}>
        {(c) => (
          <select {...c} className="input" value={moduleKey} onChange={(e) => setForm({ ...form, moduleKey: e.target.value })} name="moduleKey">
            {modules.map((m) => (
              <option key={m.key} value={m.key}>
                {m.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field className="ln-field" id={fid('title')} name="title" label={t('learning.plan.sessionTitle')} error={errors.of('title')}>
        {(c) => <input {...c} className="input" name="title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />}
      </Field>
      <div className="ln-row">
        <Field className="ln-field" id={fid('date')} name="date" label={t('learning.plan.date')} error={errors.of('date')}>
          {(c) => <input {...c} className="input" type="date" name="date" required value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />}
        </Field>
        <Field className="ln-field" id={fid('start')} name="start" label={t('learning.plan.start')} error={errors.of('start')}>
          {(c) => <input {...c} className="input" type="time" name="start" required value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} />}
        </Field>
        <Field className="ln-field" id={fid('end')} name="end" label={t('learning.plan.end')} error={errors.of('end')}>
          {(c) => <input {...c} className="input" type="time" name="end" required value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} />}
        </Field>
      </div>
      <Field className="ln-field" id={fid('place')} name="place" label={t('learning.plan.place')} error={errors.of('place')}>
        {(c) => <input {...c} className="input" name="place" value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} />}
      </Field>
      <Field className="ln-field" id={fid('link')} name="link" label={t('learning.plan.link')} error={errors.of('link')}>
        {(c) => <input {...c} className="input" type="url" name="link" value={form.link} onChange={(e) => setForm({ ...form, link: e.target.value })} />}
      </Field>
      <Field className="ln-field" id={fid('capacity')} name="capacity" label={t('learning.plan.capacity')} error={errors.of('capacity')}>
        {(c) => (
          <input
            {...c}
            className="input"
            type="number"
            name="capacity"
            min={1}
            max={500}
            value={form.capacity}
            onChange={(e) => setForm({ ...form, capacity: Number(e.target.value) })}
          />
        )}
      </Field>
      <p>
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {t('learning.plan.submit')}
        </button>
      </p>
    </form>
  );
}
