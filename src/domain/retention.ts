import { addCalendarDays, addCalendarMonths, compareIsoDates, londonDate, type IsoDate } from './calendar-date.ts';
import { isFinalStatus, type CaseStatus } from './case-status.ts';
import { londonInstant } from './london-time.ts';

/**
 * How long a closed case keeps its personal data. The council keeps a case for its retention
 * period (councilSchema.retentionMonths) after the London calendar day it was closed or withdrawn,
 * counted in calendar months; from the day the period ends, its personal data is removed.
 *
 * Example with 72 months, on 25 November 2026: a case closed on 25 November 2020 (exactly 72
 * months before) is due; one closed on 26 November 2020 is kept until tomorrow. Open cases are
 * never due, however old. Months clamp like calendar months do: on 28 February 2027, 72 months
 * back is 28 February 2021, so a case closed on 28 February 2021 is due and 1 March 2021 is kept.
 */

export interface RetentionFacts {
  status: CaseStatus;
  closedAt: Date | null;
  anonymisedAt: Date | null;
}

/** The last London closing day that is due on `today`. */
export function retentionCutoff(today: IsoDate, retentionMonths: number): IsoDate {
  if (!Number.isInteger(retentionMonths) || retentionMonths < 1)
    throw new RangeError(`Retention must be a whole number of months: ${retentionMonths}`);
  return addCalendarMonths(today, -retentionMonths);
}

/**
 * Every case closed before this instant may be due (the start of the London day after the
 * cut-off): for the database to narrow its search. Whether each is due is `isDueForAnonymisation`.
 */
export function closedBeforeInstant(today: IsoDate, retentionMonths: number): Date {
  return londonInstant(addCalendarDays(retentionCutoff(today, retentionMonths), 1), { hour: 0, minute: 0 });
}

/** True when the case's personal data should be removed today. */
export function isDueForAnonymisation(facts: RetentionFacts, today: IsoDate, retentionMonths: number): boolean {
  if (!isFinalStatus(facts.status) || facts.closedAt === null || facts.anonymisedAt !== null) return false;
  return compareIsoDates(londonDate(facts.closedAt), retentionCutoff(today, retentionMonths)) <= 0;
}
