import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_KEYS } from '../../api/types';
import { roleLabel } from '../../lib/labels';
import { matchesQuery } from '../../lib/text';
import { useRegions, useTeams } from '../org/api';
import { useArticleChoices } from './api';
import type { Audience } from './types';
import { FieldError } from '../../components/form';

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? (list.includes(value) ? list : [...list, value]) : list.filter((v) => v !== value);
}

interface AudiencePickerProps {
  value: Audience;
  onChange: (next: Audience) => void;
  error?: string;
  errorId?: string;
}

/** Everyone, or a selection of regions, teams and roles (from the organisation API). */
export function AudiencePicker({ value, onChange, error, errorId }: AudiencePickerProps) {
  const { t } = useTranslation();
  const regions = useRegions();
  const teams = useTeams();
  const regionNames = useMemo(() => new Map((regions.data ?? []).map((r) => [r.id, r.name])), [regions.data]);
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const name = useId();

  const shownTeams = useMemo(() => {
    const all = [...(teams.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
    return all.filter((team) => value.teams.includes(team.id) || matchesQuery(filter, [team.name, regionNames.get(team.regionId) ?? '']));
  }, [teams.data, filter, value.teams, regionNames]);

  return (
    <fieldset
      className="kb-fieldset"
      data-testid="kb-audience"
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="field-label">{t('knowledge.editor.audience.legend')}</legend>
      <div className="kb-radios">
        <label className="kb-radio">
          <input
            type="radio"
            name={name}
            checked={value.everyone}
            onChange={() => onChange({ everyone: true, regions: [], teams: [], roles: [] })}
          />
          {t('knowledge.editor.audience.everyone')}
        </label>
        <label className="kb-radio">
          <input type="radio" name={name} checked={!value.everyone} onChange={() => onChange({ ...value, everyone: false })} />
          {t('knowledge.editor.audience.some')}
        </label>
      </div>
      {errorId && <FieldError id={errorId} message={error} />}
      {!value.everyone && (
        <div className="kb-audience">
          <p className="field-hint">{t('knowledge.editor.audience.hint')}</p>
          <fieldset className="kb-fieldset kb-fieldset--inner">
            <legend className="field-label">{t('knowledge.editor.audience.regions')}</legend>
            <ul className="kb-checks">
              {(regions.data ?? []).map((r) => (
                <li key={r.id}>
                  <label className="kb-check">
                    <input
                      type="checkbox"
                      checked={value.regions.includes(r.id)}
                      onChange={(e) => onChange({ ...value, regions: toggle(value.regions, r.id, e.target.checked) })}
                    />
                    {r.name}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset className="kb-fieldset kb-fieldset--inner">
            <legend className="field-label">
              {t('knowledge.editor.audience.teams')}{' '}
              <span className="muted small">{t('knowledge.editor.audience.selected', { count: value.teams.length })}</span>
            </legend>
            <label className="visually-hidden" htmlFor={filterId}>
              {t('knowledge.editor.audience.teamFilter')}
            </label>
            <input
              id={filterId}
              type="search"
              className="input kb-input--small"
              placeholder={t('knowledge.editor.audience.teamFilter')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              autoComplete="off"
            />
            <ul className="kb-checks kb-checks--scroll">
              {shownTeams.map((team) => (
                <li key={team.id}>
                  <label className="kb-check">
                    <input
                      type="checkbox"
                      checked={value.teams.includes(team.id)}
                      onChange={(e) => onChange({ ...value, teams: toggle(value.teams, team.id, e.target.checked) })}
                    />
                    {team.name} <span className="muted small">{regionNames.get(team.regionId) ?? ''}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <fieldset className="kb-fieldset kb-fieldset--inner">
            <legend className="field-label">{t('knowledge.editor.audience.roles')}</legend>
            <ul className="kb-checks">
              {ROLE_KEYS.map((role) => (
                <li key={role}>
                  <label className="kb-check">
                    <input
                      type="checkbox"
                      checked={value.roles.includes(role)}
                      onChange={(e) => onChange({ ...value, roles: toggle(value.roles, role, e.target.checked) })}
                    />
                    {roleLabel(t, role)}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        </div>
      )}
    </fieldset>
  );
}

/** Related articles: a filterable checkbox list; chosen ones stay on top. */
export function RelatedPicker({ value, onChange, exclude }: { value: string[]; onChange: (next: string[]) => void; exclude?: string }) {
  const { t } = useTranslation();
  const choices = useArticleChoices(true);
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const list = useMemo(() => {
    const all = (choices.data ?? []).filter((a) => a.id !== exclude);
    // Chosen articles outside the list (archived, or beyond the first 100) stay visible so they can be removed.
    const known = new Set(all.map((a) => a.id));
    const unknown = value.filter((id) => !known.has(id)).map((id) => ({ id, title: id, tags: [] as string[] }));
    const chosen = [...all.filter((a) => value.includes(a.id)), ...unknown];
    const others = all.filter((a) => !value.includes(a.id) && filter.trim() !== '' && matchesQuery(filter, [a.title, ...a.tags]));
    return [...chosen, ...others.slice(0, 10)];
  }, [choices.data, value, filter, exclude]);
  return (
    <fieldset className="kb-fieldset">
      <legend className="field-label">{t('knowledge.editor.related')}</legend>
      <label className="field-hint" htmlFor={filterId}>
        {t('knowledge.editor.relatedFilter')}
      </label>
      <input
        id={filterId}
        type="search"
        className="input kb-input--small"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        autoComplete="off"
      />
      {list.length > 0 && (
        <ul className="kb-checks">
          {list.map((a) => (
            <li key={a.id}>
              <label className="kb-check">
                <input
                  type="checkbox"
                  checked={value.includes(a.id)}
                  onChange={(e) => onChange(toggle(value, a.id, e.target.checked))}
                />
                {a.title}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
