import { describe, expect, it } from 'vitest';
import { financialYearOf, financialYearsSince, monthsOf, parseFinancialYear } from '../../../src/domain/financial-year.ts';

describe('financial years (1 April to 31 March)', () => {
  it.each([
    ['2025-03-31', '2024/25'],
    ['2025-04-01', '2025/26'],
    ['2026-01-15', '2025/26'],
    ['2026-03-31', '2025/26'],
    ['2026-04-01', '2026/27'],
    ['1999-12-31', '1999/00'],
    ['2000-04-01', '2000/01'],
  ])('%s is in %s', (date, label) => {
    expect(financialYearOf(date).label).toBe(label);
  });

  it('knows each year’s first and last day', () => {
    expect(financialYearOf('2025-07-01')).toEqual({ label: '2025/26', start: '2025-04-01', end: '2026-03-31', startYear: 2025 });
  });

  it.each([
    ['2022/23', '2022-04-01'],
    ['2021/22', '2021-04-01'],
    ['2022/24', null],
    ['22/23', null],
    ['2022-23', null],
  ])('parses %s', (label, start) => {
    expect(parseFinancialYear(label)?.start ?? null).toBe(start);
  });

  it('lists the years up to the current one, newest first', () => {
    expect(financialYearsSince('2023-05-01', '2026-11-25').map((y) => y.label)).toEqual(['2026/27', '2025/26', '2024/25', '2023/24']);
  });

  it('lists the months April to March', () => {
    expect(monthsOf(financialYearOf('2025-06-01'))).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
  });
});
