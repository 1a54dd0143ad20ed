import { describe, expect, it } from 'vitest';
import { formatValue } from './format';

describe('formatValue', () => {
  it('shows one decimal for every percentage, so values side by side line up', () => {
    expect(formatValue(91.16, '%', 'nl')).toBe('91,2%');
    expect(formatValue(92.4, '%', 'nl')).toBe('92,4%');
    expect(formatValue(5, '%', 'nl')).toBe('5,0%');
  });

  it('shows grades with one decimal, also averages', () => {
    expect(formatValue(7.95, 'grade', 'nl')).toBe('8,0');
    expect(formatValue(7.6, 'grade', 'nl')).toBe('7,6');
  });

  it('puts the minus before the euro sign, as changes do', () => {
    expect(formatValue(-8335, 'EUR', 'nl')).toMatch(/^−€\s8\.335$/);
    expect(formatValue(7869.4, 'EUR', 'nl')).toMatch(/^€\s7\.869$/);
    expect(formatValue(-0.4, 'EUR', 'nl')).toMatch(/^€\s0$/);
  });

  it('shows other numbers with at most one decimal', () => {
    expect(formatValue(12, 'number', 'nl')).toBe('12');
    expect(formatValue(3.14159, 'number', 'nl')).toBe('3,1');
    expect(formatValue(null, 'number', 'nl')).toBe('');
  });
});
