import type { IsoDate } from './calendar-date.ts';

/**
 * Financial years run from 1 April to 31 March and are named like the council names them:
 * "2025/26". A date belongs to a year by its Europe/London calendar date (callers convert
 * instants with londonDate first), so 31 March 23:30 BST is in the old year.
 */
export interface FinancialYear {
  label: string;
  /** First day, inclusive. */
  start: IsoDate;
  /** Last day, inclusive. */
  end: IsoDate;
  startYear: number;
}

export function financialYearStarting(startYear: number): FinancialYear {
  const next = String((startYear + 1) % 100).padStart(2, '0');
  return { label: `${startYear}/${next}`, start: `${startYear}-04-01`, end: `${startYear + 1}-03-31`, startYear };
}

export function financialYearOf(date: IsoDate): FinancialYear {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return financialYearStarting(month >= 4 ? year : year - 1);
}

const labelPattern = /^(\d{4})\/(\d{2})$/;

export function parseFinancialYear(label: string): FinancialYear | null {
  const match = labelPattern.exec(label);
  if (!match) return null;
  const startYear = Number(match[1]);
  const year = financialYearStarting(startYear);
  return year.label === label ? year : null;
}

/** The years from `first` up to and including the one `today` is in, newest first. */
export function financialYearsSince(first: IsoDate, today: IsoDate): FinancialYear[] {
  const years: FinancialYear[] = [];
  for (let y = financialYearOf(today).startYear; y >= financialYearOf(first).startYear; y -= 1) years.push(financialYearStarting(y));
  return years;
}

/** The twelve months of a financial year, April first, as 'YYYY-MM'. */
export function monthsOf(year: FinancialYear): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = ((i + 3) % 12) + 1;
    const calendarYear = month >= 4 ? year.startYear : year.startYear + 1;
    return `${calendarYear}-${String(month).padStart(2, '0')}`;
  });
}
