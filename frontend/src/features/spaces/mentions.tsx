import { useMemo, type RefObject, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MentionList,
  useMentionAutocomplete,
  type MentionAutocomplete,
  type MentionAutocompleteOptions,
} from '../mentions/MentionAutocomplete';
import { useCurrentUser } from '../session/api';
import type { SpaceMember } from './types';

/**
 * @mention autocomplete for a post or comment textarea in a space: the
 * space's members (when known) are suggested first, by name, then the
 * people search; the user is never suggested. Mentions are sent as
 * `<@userId>` tokens: use `mention.encode(body)` when submitting.
 */
export function useSpaceMentions(
  options: Omit<MentionAutocompleteOptions, 'preferred' | 'excludeId' | 'members'> & {
    spaceMembers: readonly SpaceMember[] | undefined;
  },
): MentionAutocomplete {
  const { spaceMembers, ...rest } = options;
  const me = useCurrentUser();
  const preferred = useMemo(() => {
    const collator = new Intl.Collator('nl', { sensitivity: 'base' });
    return [...(spaceMembers ?? [])]
      .map(({ id, name }) => ({ id, name }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [spaceMembers]);
  return useMentionAutocomplete({ ...rest, preferred, excludeId: me.id });
}

/** The suggestion list and its live count; render inside `.composer__field` next to the textarea. */
export function SpaceMentionList({ mention }: { mention: MentionAutocomplete }) {
  const { t } = useTranslation();
  return (
    <>
      <MentionList mention={mention} label={t('spaces.mentions.suggestions')} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {mention.showList ? t('spaces.mentions.suggestionCount', { count: mention.suggestions.length }) : ''}
      </p>
    </>
  );
}

type FieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'onSelect' | 'onFocus' | 'onBlur' | 'onKeyDown' | 'className'> & {
  mention: MentionAutocomplete;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** Told every new text, after the mention state has seen it. */
  onText: (value: string) => void;
  'data-testid'?: string;
};

/**
 * A post or comment textarea with the @mention list: the field wrapper, the
 * list, and the textarea wired to the autocomplete (ARIA and events).
 */
export function SpaceMentionField({ mention, textareaRef, onText, ...props }: FieldProps) {
  return (
    <div className="composer__field sp-field">
      <SpaceMentionList mention={mention} />
      <textarea
        ref={textareaRef}
        className="input sp-textarea"
        {...props}
        {...mention.inputProps}
        onChange={(e) => {
          mention.onChange(e);
          onText(e.target.value);
        }}
        onSelect={mention.onSelect}
        onFocus={mention.onFocus}
        onBlur={mention.onBlur}
        onKeyDown={mention.onKeyDown}
      />
    </div>
  );
}
