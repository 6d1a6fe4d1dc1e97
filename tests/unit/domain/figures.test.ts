import { describe, expect, it } from 'vitest';
import { figuresForYear, publishedYears, type MonthlyCounts } from '../../../src/domain/figures.ts';
import { financialYearStarting } from '../../../src/domain/financial-year.ts';

const counts = (entries: Partial<Record<keyof MonthlyCounts, Record<string, number>>>): MonthlyCounts => ({
  applicationsReceived: {},
  thresholdNotMet: {},
  reviewsCarriedOut: {},
  reviewsWithRecommendations: {},
  appealsReceived: {},
  appealsUpheld: {},
  ...entries,
});

describe('published figures', () => {
  it('adds up the months April to March into the year', () => {
    const c = counts({ applicationsReceived: { '2025-03': 4, '2025-04': 1, '2026-03': 2, '2026-04': 9 } });
    expect(figuresForYear(c, financialYearStarting(2025)).applicationsReceived).toBe(3);
    expect(figuresForYear(c, financialYearStarting(2024)).applicationsReceived).toBe(4);
  });

  it('lists every year from the first event to this year, newest first, the current one marked to date', () => {
    const years = publishedYears(counts({ reviewsCarriedOut: { '2024-06': 1 } }), [], '2026-11-25');
    expect(years.map((row) => [row.year.label, row.toDate, row.historic])).toEqual([
      ['2026/27', true, false],
      ['2025/26', false, false],
      ['2024/25', false, false],
    ]);
  });

  it('shows historic figures for their years, replacing counted ones', () => {
    const historic = [
      {
        year: financialYearStarting(2021),
        figures: {
          applicationsReceived: 0,
          thresholdNotMet: 0,
          reviewsCarriedOut: 0,
          reviewsWithRecommendations: 0,
          appealsReceived: 0,
          appealsUpheld: 0,
        },
      },
      {
        year: financialYearStarting(2025),
        figures: {
          applicationsReceived: 7,
          thresholdNotMet: 1,
          reviewsCarriedOut: 2,
          reviewsWithRecommendations: 2,
          appealsReceived: 0,
          appealsUpheld: 0,
        },
      },
    ];
    const years = publishedYears(counts({ applicationsReceived: { '2025-05': 3 } }), historic, '2026-11-25');
    expect(years.map((row) => [row.year.label, row.historic, row.figures.applicationsReceived])).toEqual([
      ['2026/27', false, 0],
      ['2025/26', true, 7],
      ['2021/22', true, 0],
    ]);
  });

  it('with no cases at all, shows this year with zeros', () => {
    expect(publishedYears(counts({}), [], '2026-11-25').map((row) => row.year.label)).toEqual(['2026/27']);
  });
});
