import { financialYearOf, financialYearsSince, monthsOf, type FinancialYear } from './financial-year.ts';

/**
 * The figures a council publishes (s.104(10) of the 2014 Act asks for the first four at least
 * every twelve months; South Derbyshire also publishes appeals).
 *
 * WHICH DATE COUNTS EACH EVENT — every event counts in the financial year (and month) of the
 * Europe/London calendar date on which it happened:
 * - applications received: the day the application was received (for a paper application, the
 *   day it arrived, as the officer recorded it);
 * - threshold not met: the day the officer decided the threshold was not met (a case decided
 *   again after an appeal counts again if it is not met again);
 * - case reviews carried out: the day the review meeting was held;
 * - reviews that led to recommendations: reviews held that day whose case has at least one
 *   recommendation in its action plan;
 * - appeals received: the day the appeal was received; appeals upheld: the day the appeal was
 *   concluded, when the result was that it was upheld.
 * So an application received in March 2025 whose review was held in May 2025 counts in 2024/25
 * for "received" and in 2025/26 for "reviews".
 */
export const figureKeys = [
  'applicationsReceived',
  'thresholdNotMet',
  'reviewsCarriedOut',
  'reviewsWithRecommendations',
  'appealsReceived',
  'appealsUpheld',
] as const;
export type FigureKey = (typeof figureKeys)[number];
export type Figures = Record<FigureKey, number>;

export const figureLabels: Record<FigureKey, string> = {
  applicationsReceived: 'Applications received',
  thresholdNotMet: 'Applications that did not meet the threshold',
  reviewsCarriedOut: 'ASB Case Reviews carried out',
  reviewsWithRecommendations: 'ASB Case Reviews where recommendations were made',
  appealsReceived: 'Appeals received',
  appealsUpheld: 'Appeals upheld',
};

/** Counts per event per month ('YYYY-MM', London time), as the database returns them. */
export type MonthlyCounts = Record<FigureKey, Record<string, number>>;

export interface YearFigures {
  year: FinancialYear;
  figures: Figures;
  /** Entered by an administrator from figures published before the portal existed. */
  historic: boolean;
  /** The current year: figures so far. */
  toDate: boolean;
}

const zero = (): Figures => ({
  applicationsReceived: 0,
  thresholdNotMet: 0,
  reviewsCarriedOut: 0,
  reviewsWithRecommendations: 0,
  appealsReceived: 0,
  appealsUpheld: 0,
});

export function figuresForMonth(counts: MonthlyCounts, month: string): Figures {
  const figures = zero();
  for (const key of figureKeys) figures[key] = counts[key][month] ?? 0;
  return figures;
}

export function figuresForYear(counts: MonthlyCounts, year: FinancialYear): Figures {
  const figures = zero();
  for (const month of monthsOf(year)) {
    const monthFigures = figuresForMonth(counts, month);
    for (const key of figureKeys) figures[key] += monthFigures[key];
  }
  return figures;
}

/**
 * Every year to publish, newest first: the years from the first recorded event to the current
 * year (to date), and the historic years entered by hand. A year with historic figures shows
 * those, as they are what the council published.
 */
export function publishedYears(
  counts: MonthlyCounts,
  historic: Array<{ year: FinancialYear; figures: Figures }>,
  today: string,
): YearFigures[] {
  const months = figureKeys.flatMap((key) => Object.keys(counts[key])).sort();
  const first = months[0] ? `${months[0]}-01` : today;
  const byLabel = new Map(historic.map((entry) => [entry.year.label, entry]));
  const current = financialYearOf(today).label;
  const computed = financialYearsSince(first, today).map((year) => {
    const entered = byLabel.get(year.label);
    return entered
      ? { year, figures: entered.figures, historic: true, toDate: false }
      : { year, figures: figuresForYear(counts, year), historic: false, toDate: year.label === current };
  });
  const olderHistoric = historic
    .filter((entry) => !computed.some((row) => row.year.label === entry.year.label))
    .map((entry) => ({ year: entry.year, figures: entry.figures, historic: true, toDate: false }));
  return [...computed, ...olderHistoric].sort((a, b) => b.year.startYear - a.year.startYear);
}
