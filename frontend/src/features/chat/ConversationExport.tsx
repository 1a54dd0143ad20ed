import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { conversationExportUrl, fetchConversationExport } from './api';
import { conversationText, downloadText } from './exportText';

/**
 * "Gesprek exporteren" in a direct or group conversation's options (AVG
 * right of access): a readable text file made from the export, and the
 * complete export as JSON. The server records every export in the access log.
 */
export function ConversationExportButton({ channelId, name }: { channelId: string; name: string }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; done: boolean; error: unknown }>({
    busy: false,
    done: false,
    error: null,
  });

  async function exportText() {
    if (state.busy) return;
    setState({ busy: true, done: false, error: null });
    try {
      const x = await fetchConversationExport(channelId);
      const date = x.generatedAt.slice(0, 10);
      downloadText(conversationText(x, name, t, i18n.language), `plein-gesprek-${date}.txt`);
      setState({ busy: false, done: true, error: null });
    } catch (error) {
      setState({ busy: false, done: false, error });
    }
  }

  return (
    <div className="convo-export" data-testid="convo-export">
      <p className="field-label">{t('chatConvo.export.title')}</p>
      <div className="channel-options__prefs">
        <button
          type="button"
          className="button button--secondary"
          aria-disabled={state.busy || undefined}
          onClick={() => void exportText()}
          data-testid="convo-export-text"
        >
          {t('chatConvo.export.text')}
        </button>
        <a className="button button--quiet" href={conversationExportUrl(channelId, true)} download data-testid="convo-export-json">
          {t('chatConvo.export.json')}
        </a>
      </div>
      <p className="muted small">{t('chatConvo.export.logged')}</p>
      {state.done && (
        <p role="status" className="muted small">
          {t('chatConvo.export.done')}
        </p>
      )}
      {state.error !== null && <ErrorAlert error={state.error} title={t('chatConvo.export.failed')} />}
    </div>
  );
}
