import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { ConversationExport } from './api';
import { conversationText } from './exportText';

const x: ConversationExport = {
  generatedAt: '2026-12-07T10:00:00Z',
  subject: { id: 'u1', name: 'Anouk de Vries' },
  sections: {
    chat: {
      conversation: { id: 'd1', kind: 'dm', members: [{ id: 'u1', name: 'Anouk de Vries' }, { id: 'u2', name: 'Sanne Bakker' }] },
      messages: [
        { seq: 1, at: '2026-12-07T08:00:00Z', byName: 'Anouk de Vries', body: 'Hoi @Sanne Bakker,\nkom je?', files: ['rooster.pdf'] },
        { seq: 2, at: '2026-12-07T08:05:00Z', byName: 'Sanne Bakker', body: 'Ja, om tien uur', edited: true, reply: 1 },
        { seq: 3, at: '2026-12-07T08:06:00Z', byName: 'Anouk de Vries', body: '', deleted: true },
      ],
    },
  },
};

describe('conversationText', () => {
  it('writes a readable Dutch file: heading, participants, one line per message', async () => {
    await i18n.changeLanguage('nl');
    const text = conversationText(x, 'Sanne Bakker', i18n.t, 'nl');
    const lines = text.split('\n');
    expect(lines[0]).toBe('Gesprek in Plein: Sanne Bakker');
    expect(lines[1]).toBe('Deelnemers: Anouk de Vries, Sanne Bakker');
    expect(lines[2]).toMatch(/^Geëxporteerd op .* door Anouk de Vries$/);
    expect(text).toContain('Anouk de Vries: Hoi @Sanne Bakker,\n    kom je?\n    Bijlagen: rooster.pdf');
    expect(text).toContain('Sanne Bakker (bewerkt) (antwoord in een draadje): Ja, om tien uur');
    expect(text).toContain('Anouk de Vries: [bericht verwijderd]');
  });
});
