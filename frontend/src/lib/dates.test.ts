import { describe, expect, it } from 'vitest';
import { addDays, dayLabel, formatTime, localDay, parseDate } from './dates';

const words = { today: 'Vandaag', yesterday: 'Gisteren' };

describe('dates', () => {
  it('reads a bare date as a local calendar day and refuses nonsense', () => {
    expect(localDay(parseDate('2026-12-01')!)).toBe('2026-12-01');
    expect(parseDate('not a date')).toBeNull();
    expect(parseDate(undefined)).toBeNull();
    expect(localDay('nonsense')).toBe('');
  });

  it('adds days across a month without changing the original', () => {
    const start = new Date(2026, 10, 30, 12);
    expect(localDay(addDays(start, 1))).toBe('2026-12-01');
    expect(localDay(start)).toBe('2026-11-30');
  });

  it('says today, yesterday, or the weekday and date (with the year only when not this year)', () => {
    const now = new Date(2026, 11, 7, 15, 0);
    expect(dayLabel(new Date(2026, 11, 7, 8).toISOString(), words, 'nl', now)).toBe('Vandaag');
    expect(dayLabel(new Date(2026, 11, 6, 23, 59).toISOString(), words, 'nl', now)).toBe('Gisteren');
    expect(dayLabel(new Date(2026, 10, 16, 9).toISOString(), words, 'nl', now)).toBe('maandag 16 november');
    expect(dayLabel(new Date(2025, 10, 17, 9).toISOString(), words, 'nl', now)).toBe('maandag 17 november 2025');
    expect(dayLabel('', words, 'nl', now)).toBe('');
  });

  it('says the time of day with two digits', () => {
    expect(formatTime(new Date(2026, 11, 7, 9, 5).toISOString(), 'nl')).toBe('09:05');
    expect(formatTime('garbage', 'nl')).toBe('');
  });
});
