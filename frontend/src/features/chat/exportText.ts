import type { TFunction } from 'i18next';
import type { ConversationExport } from './api';

/**
 * A conversation export as a readable plain-text file, in the reader's
 * language: a heading with the participants and the date, then one line
 * per message (date, time, author, text), files and deletions said in
 * words. The JSON it is made from is the complete export.
 */
export function conversationText(x: ConversationExport, name: string, t: TFunction, language: string): string {
  const locale = language === 'en' ? 'en-GB' : 'nl-NL';
  const when = (iso: string) =>
    new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  const { conversation, messages } = x.sections.chat;
  const lines = [
    t('chatConvo.export.textTitle', { name }),
    t('chatConvo.export.textMembers', { names: conversation.members.map((m) => m.name).join(', ') }),
    t('chatConvo.export.textGenerated', { at: when(x.generatedAt), name: x.subject.name }),
    '',
  ];
  for (const m of messages) {
    const marks = [m.edited ? t('chatConvo.export.edited') : '', m.reply ? t('chatConvo.export.inThread') : '']
      .filter(Boolean)
      .map((s) => ` (${s})`)
      .join('');
    const body = m.deleted ? t('chatConvo.export.deleted') : m.body;
    lines.push(`${when(m.at)}  ${m.byName ?? ''}${marks}: ${body.replace(/\n/g, '\n    ')}`);
    if (m.files?.length) lines.push(`    ${t('chatConvo.export.files', { names: m.files.join(', ') })}`);
  }
  if (messages.length === 0) lines.push(t('chatConvo.export.empty'));
  return lines.join('\n') + '\n';
}

/** Offer text as a file download. */
export function downloadText(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
