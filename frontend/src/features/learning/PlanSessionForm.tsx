import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
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
  const modules = first.data?.modules ?? [];
  const moduleKey = form.moduleKey || modules.find((m) => m.status === 'planned')?.key || modules[0]?.key || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen.length === 0) {
      setMissingTeam(true);
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
    <form className="card stack ln-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="plan-session">
      <h2 id={`${id}-title`}>{t('learning.plan.title')}</h2>
      <fieldset className="ln-fieldset">
        <legend className="field-label">{t('learning.plan.teams')}</legend>
        <div className="ln-checks">
          {teams.map((tm) => (
            <label key={tm.id} className="ln-check">
              <input
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
        {missingTeam && <p className="ln-error">{t('learning.plan.chooseTeam')}</p>}
      </fieldset>
      <label className="ln-field">
        <span className="field-label">{t('learning.plan.module')}</span>
        <select className="input" value={moduleKey} onChange={(e) => setForm({ ...form, moduleKey: e.target.value })} name="moduleKey">
          {modules.map((m) => (
            <option key={m.key} value={m.key}>
              {m.title}
            </option>
          ))}
        </select>
      </label>
      <label className="ln-field">
        <span className="field-label">{t('learning.plan.sessionTitle')}</span>
        <input className="input" name="title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
      </label>
      <div className="ln-row">
        <label className="ln-field">
          <span className="field-label">{t('learning.plan.date')}</span>
          <input className="input" type="date" name="date" required value={form.date} onChange={(e) => setForm({ ...form, date: e.target.value })} />
        </label>
        <label className="ln-field">
          <span className="field-label">{t('learning.plan.start')}</span>
          <input className="input" type="time" name="start" required value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} />
        </label>
        <label className="ln-field">
          <span className="field-label">{t('learning.plan.end')}</span>
          <input className="input" type="time" name="end" required value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} />
        </label>
      </div>
      <label className="ln-field">
        <span className="field-label">{t('learning.plan.place')}</span>
        <input className="input" name="place" value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} />
      </label>
      <label className="ln-field">
        <span className="field-label">{t('learning.plan.link')}</span>
        <input className="input" type="url" name="link" value={form.link} onChange={(e) => setForm({ ...form, link: e.target.value })} />
      </label>
      <label className="ln-field">
        <span className="field-label">{t('learning.plan.capacity')}</span>
        <input
          className="input"
          type="number"
          name="capacity"
          min={1}
          max={500}
          value={form.capacity}
          onChange={(e) => setForm({ ...form, capacity: Number(e.target.value) })}
        />
      </label>
      {create.isError && <ErrorAlert error={create.error} />}
      <p>
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {t('learning.plan.submit')}
        </button>
      </p>
    </form>
  );
}
