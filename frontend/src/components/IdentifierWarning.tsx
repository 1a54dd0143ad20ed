import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import type { IdentifierFinding } from '../api/types';
import './identifierWarning.css';

/** The problem (and chat error frame) code of text that looks like client data. */
export const IDENTIFIER_SUSPECTED = 'identifier_suspected';

/** True when the server refused the text because it looks like client data. */
export function isIdentifierSuspected(error: unknown): boolean {
  return isApiError(error) && error.code === IDENTIFIER_SUSPECTED;
}

const KINDS = ['bsn', 'birthdate', 'address'] as const;
const FIELDS = ['body', 'title', 'location', 'description', 'file', 'note', 'name', 'topic', 'summary', 'workingArea'] as const;

interface DialogProps {
  findings: IdentifierFinding[];
  /** "Aanpassen": back to editing, the text kept. */
  onEdit: () => void;
  /** "Toch versturen": send again with the acknowledgement. */
  onSend: () => void;
}

/**
 * The warning shown when the server answers identifier_suspected: why
 * (client data belongs in the care record), where, and two choices. An
 * alertdialog: focus starts on "Aanpassen" (the safe choice), Tab stays
 * inside, Escape means "Aanpassen".
 */
export function IdentifierWarningDialog({ findings, onEdit, onSend }: DialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();
  const editRef = useRef<HTMLButtonElement>(null);
  const sendRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    editRef.current?.focus();
  }, []);

  const kinds = KINDS.filter((k) => findings.some((f) => f.kind === k));
  if (kinds.length === 0) kinds.push('bsn');
  const fields = [...new Set(findings.map((f) => f.field))]
    .map((f) => ((FIELDS as readonly string[]).includes(f) ? t(`identifiers.field.${f as (typeof FIELDS)[number]}`) : f))
    .join(', ');

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onEdit();
      return;
    }
    if (event.key === 'Tab') {
      // Keep focus on the two choices.
      const first = editRef.current;
      const last = sendRef.current;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    }
  }

  return (
    <div className="idw-backdrop">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        className="idw-dialog panel"
        data-testid="identifier-warning"
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="idw-title">
          {t('identifiers.title')}
        </h2>
        <div id={descId}>
          {kinds.map((k) => (
            <p key={k} className="idw-reason">
              {t(`identifiers.${k}`)}
            </p>
          ))}
          <p>{t('identifiers.why')}</p>
          {fields && <p className="field-hint">{t('identifiers.fields', { fields })}</p>}
        </div>
        <div className="idw-actions">
          <button ref={editRef} type="button" className="button button--primary" onClick={onEdit} data-testid="identifier-edit">
            {t('identifiers.edit')}
          </button>
          <button ref={sendRef} type="button" className="button button--secondary" onClick={onSend} data-testid="identifier-send">
            {t('identifiers.send')}
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * Wires the warning into a form: `held(error, resend)` opens the dialog when
 * the error is identifier_suspected (and says so); "Toch versturen" calls
 * resend, "Aanpassen" closes it and puts focus back in the text.
 */
export function useIdentifierWarning(returnFocus: RefObject<HTMLElement | null>): {
  held: (error: unknown, resend: () => void) => boolean;
  hold: (findings: IdentifierFinding[], resend: () => void) => void;
  dialog: ReactNode;
} {
  const [findings, setFindings] = useState<IdentifierFinding[] | null>(null);
  const resendRef = useRef<(() => void) | null>(null);

  const hold = useCallback((found: IdentifierFinding[], resend: () => void) => {
    resendRef.current = resend;
    setFindings(found);
  }, []);
  const held = useCallback(
    (error: unknown, resend: () => void): boolean => {
      if (!isApiError(error) || error.code !== IDENTIFIER_SUSPECTED) return false;
      hold(error.findings, resend);
      return true;
    },
    [hold],
  );
  const dialog = findings ? (
    <IdentifierWarningDialog
      findings={findings}
      onEdit={() => {
        setFindings(null);
        returnFocus.current?.focus();
      }}
      onSend={() => {
        setFindings(null);
        returnFocus.current?.focus();
        resendRef.current?.();
      }}
    />
  ) : null;
  return { held, hold, dialog };
}
