// @mention autocomplete for a textarea, shared by the chat composer and the
// team-space post and comment forms. Typing "@ani" suggests people; picking
// one inserts "@Anouk de Vries " and remembers name → id, so that on sending
// `encode(text)` turns the mention into the `<@userId>` token the server
// understands (chat/markdown).
import {
  useEffect,
  useLayoutEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type Dispatch,
  type KeyboardEvent,
  type RefObject,
  type SetStateAction,
  type SyntheticEvent,
} from 'react';
import { usePeopleSearch } from '../chat/api';
import { encodeMentions, mentionQuery } from '../chat/format';

export interface MentionPerson {
  id: string;
  name: string;
}

/** At most this many suggestions are shown. */
export const MAX_MENTION_SUGGESTIONS = 8;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function matching(people: readonly MentionPerson[], query: string, excludeId: string | undefined): MentionPerson[] {
  const q = query.toLocaleLowerCase('nl');
  return people.filter((p) => p.id !== excludeId && p.name.toLocaleLowerCase('nl').includes(q));
}

export interface MentionAutocompleteOptions {
  /** The textarea's text (owned by the caller). */
  text: string;
  setText: (text: string) => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /**
   * Only these people can be mentioned (DM and group members): they are
   * filtered here, the people search is not used.
   */
  members?: readonly MentionPerson[];
  /**
   * People suggested first when their name matches, from the first letter on
   * (e.g. the members of a team space); the people search (2+ letters) adds
   * the others after them.
   */
  preferred?: readonly MentionPerson[];
  /** Never suggested: the user themself. */
  excludeId?: string;
  /** Mentions to start with (name → id pairs), e.g. a draft's or those decoded from a body being edited. */
  initialMentions?: Iterable<readonly [string, string]>;
}

export interface MentionAutocomplete {
  /** Picked mentions: name → user id. */
  mentions: Map<string, string>;
  setMentions: Dispatch<SetStateAction<Map<string, string>>>;
  /** `text` with the picked "@Name" mentions replaced by "<@userId>" tokens. */
  encode: (text: string) => string;
  /** Forget the picked mentions and the caret (after sending). */
  reset: () => void;
  suggestions: MentionPerson[];
  /** True while the suggestion list is shown. */
  showList: boolean;
  activeIndex: number;
  listId: string;
  optionId: (index: number) => string;
  choose: (person: MentionPerson) => void;
  /** Call from the textarea's onChange (after or before setting the text). */
  onChange: (event: ChangeEvent<HTMLTextAreaElement>) => void;
  onSelect: (event: SyntheticEvent<HTMLTextAreaElement>) => void;
  /**
   * Optional: wire both to hide the list while focus is elsewhere (a page
   * with several textareas); picking with the mouse keeps the focus.
   */
  onFocus: () => void;
  onBlur: () => void;
  /**
   * Call first from the textarea's onKeyDown: arrow keys move through the
   * list, Enter or Tab picks, Escape closes it. True when the key was used.
   */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** ARIA attributes for the textarea (combobox pattern with a listbox popup). */
  inputProps: {
    'aria-autocomplete': 'list';
    'aria-controls': string | undefined;
    'aria-activedescendant': string | undefined;
  };
}

export function useMentionAutocomplete({
  text,
  setText,
  inputRef,
  members,
  preferred,
  excludeId,
  initialMentions,
}: MentionAutocompleteOptions): MentionAutocomplete {
  const [mentions, setMentions] = useState(() => new Map(initialMentions ?? []));
  const [caret, setCaret] = useState(0);
  const pendingCaret = useRef<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  // null until onFocus/onBlur are used: then the list shows only while the textarea has focus.
  const [focused, setFocused] = useState<boolean | null>(null);
  const listId = useId();

  const mention = mentionQuery(text, caret);
  const open = mention !== null && dismissed !== mention.start && focused !== false;
  const query = useDebounced(open && !members ? mention.query : '', 200);
  const people = usePeopleSearch(query);
  let suggestions: MentionPerson[] = [];
  if (open) {
    if (members) {
      suggestions = matching(members, mention.query, excludeId).slice(0, MAX_MENTION_SUGGESTIONS);
    } else {
      const first = preferred ? matching(preferred, mention.query, excludeId) : [];
      const seen = new Set(first.map((p) => p.id));
      const found =
        mention.query.length >= 2 ? (people.data ?? []).filter((p) => p.id !== excludeId && !seen.has(p.id)) : [];
      suggestions = [...first, ...found].slice(0, MAX_MENTION_SUGGESTIONS);
    }
  }
  const showList = suggestions.length > 0;
  const activeIndex = Math.min(active, Math.max(0, suggestions.length - 1));
  const optionId = (index: number) => `${listId}-${index}`;

  function choose(person: MentionPerson) {
    if (!mention) return;
    const before = text.slice(0, mention.start);
    const after = text.slice(caret);
    const inserted = `@${person.name} `;
    const next = before + inserted + after;
    const nextCaret = before.length + inserted.length;
    setText(next);
    setMentions((prev) => new Map(prev).set(person.name, person.id));
    setCaret(nextCaret);
    setActive(0);
    // Placed right after the commit that shows the new text (layout effect
    // below), so a keystroke typed at once never lands before the caret moves.
    pendingCaret.current = nextCaret;
  }

  useLayoutEffect(() => {
    const at = pendingCaret.current;
    const el = inputRef.current;
    if (at === null || !el) return;
    pendingCaret.current = null;
    el.focus();
    el.setSelectionRange(at, at);
  }, [text, inputRef]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!showList) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const delta = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + delta + suggestions.length) % suggestions.length);
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      event.preventDefault();
      choose(suggestions[activeIndex]!);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(mention?.start ?? null);
      return true;
    }
    return false;
  }

  return {
    mentions,
    setMentions,
    encode: (value) => encodeMentions(value, mentions),
    reset: () => {
      setMentions(new Map());
      setCaret(0);
      setActive(0);
      setDismissed(null);
    },
    suggestions,
    showList,
    activeIndex,
    listId,
    optionId,
    choose,
    onChange: (event) => {
      setCaret(event.target.selectionStart ?? event.target.value.length);
      setDismissed(null);
    },
    onSelect: (event) => setCaret(event.currentTarget.selectionStart ?? 0),
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
    onKeyDown,
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': showList ? listId : undefined,
      'aria-activedescendant': showList ? optionId(activeIndex) : undefined,
    },
  };
}

/**
 * The suggestion listbox. Place it with the textarea inside an element with
 * `position: relative` (`.composer__field`): it opens above the textarea.
 */
export function MentionList({ mention, label }: { mention: MentionAutocomplete; label: string }) {
  if (!mention.showList) return null;
  return (
    <ul id={mention.listId} className="mention-list" role="listbox" aria-label={label}>
      {mention.suggestions.map((person, index) => (
        <li
          key={person.id}
          id={mention.optionId(index)}
          role="option"
          aria-selected={index === mention.activeIndex}
          className={
            index === mention.activeIndex ? 'mention-list__option mention-list__option--active' : 'mention-list__option'
          }
          onMouseDown={(event) => {
            // Keep focus in the textarea.
            event.preventDefault();
            mention.choose(person);
          }}
        >
          {person.name}
        </li>
      ))}
    </ul>
  );
}
