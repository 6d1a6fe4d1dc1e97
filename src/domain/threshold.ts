import {
  addCalendarMonths,
  compareIsoDates,
  formatShortDate,
  isIsoDate,
  type IsoDate,
} from './calendar-date.ts';

/**
 * Advice on whether an application meets the ASB Case Review threshold.
 *
 * This is advice only: the officer makes the decision and may override it with a recorded
 * reason (they may also weigh persistence, harm and whether the response so far was adequate).
 * It therefore never throws; odd input produces "not met" or a flag for the officer to check.
 */

export type Agency = 'council' | 'police' | 'landlord' | 'other';

export interface IncidentForThreshold {
  /** The date it happened (may be approximate). */
  occurredOn: IsoDate;
  occurredOnApproximate: boolean;
  /** Empty = not reported to anyone. */
  reportedTo: Agency[];
  /** When it was (first) reported. */
  reportedOn: IsoDate | null;
  description: string;
  location: string;
}

export interface ThresholdInput {
  /** The London calendar date the application was received. */
  applicationDate: IsoDate;
  incidents: IncidentForThreshold[];
  incidentsRelated: 'yes' | 'no' | 'not-sure';
  hateMotivated: 'yes' | 'no' | 'not-sure';
  /** How many separate households reported related incidents (including the victim's), if known. */
  householdsReporting: number | null;
}

export interface ThresholdPolicy {
  /** Default 3. The law lets a council set a lower number, never a higher one. */
  minimumIncidents: number;
  /** Default 6. */
  windowMonths: number;
  /** Default 1: flag incidents reported more than this many months after they happened. */
  lateReportMonths: number;
  /** Local variant, default false: one hate-motivated incident meets the threshold. */
  singleHateIncidentMeets: boolean;
  /** Local variant, e.g. 5: that many separate households reporting meets it; null = off. */
  householdsVariant: number | null;
}

export const defaultThresholdPolicy: ThresholdPolicy = Object.freeze({
  minimumIncidents: 3,
  windowMonths: 6,
  lateReportMonths: 1,
  singleHateIncidentMeets: false,
  householdsVariant: null,
});

export interface ThresholdAdvice {
  met: boolean;
  /** Related incidents reported within the window, each counted once. */
  countedIncidents: number;
  required: number;
  /** Plain-English sentences a resident or officer can read. */
  reasons: string[];
  /** Advice for the officer, e.g. late reports, incidents not reported. */
  flags: string[];
  rule: 'count' | 'hate-incident' | 'households' | 'none';
  /** The first day inside the window. */
  windowStart: IsoDate;
}

const numberWords = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
] as const;

/** 'month', 'two months', 'six months', '13 months': as in "in the last six months". */
export function windowPhrase(months: number): string {
  if (months === 1) return 'month';
  return `${numberWords[months] ?? String(months)} months`;
}

function monthsPhrase(months: number): string {
  return months === 1 ? '1 month' : `${months} months`;
}

function isWholeNumberAtLeast(value: number, minimum: number): boolean {
  return Number.isInteger(value) && value >= minimum;
}

/** Policy values come from configuration; a bad value falls back to the default rather than throwing. */
function sanitisePolicy(policy: ThresholdPolicy, flags: string[]): ThresholdPolicy {
  const defaults = defaultThresholdPolicy;
  const households = policy.householdsVariant;
  const clean: ThresholdPolicy = {
    minimumIncidents: isWholeNumberAtLeast(policy.minimumIncidents, 1)
      ? policy.minimumIncidents
      : defaults.minimumIncidents,
    windowMonths: isWholeNumberAtLeast(policy.windowMonths, 1)
      ? policy.windowMonths
      : defaults.windowMonths,
    lateReportMonths: isWholeNumberAtLeast(policy.lateReportMonths, 0)
      ? policy.lateReportMonths
      : defaults.lateReportMonths,
    singleHateIncidentMeets: policy.singleHateIncidentMeets,
    // A broken households setting switches the variant off: the safe direction for a local extra.
    householdsVariant: households !== null && isWholeNumberAtLeast(households, 1) ? households : null,
  };
  const changed =
    clean.minimumIncidents !== policy.minimumIncidents ||
    clean.windowMonths !== policy.windowMonths ||
    clean.lateReportMonths !== policy.lateReportMonths ||
    clean.householdsVariant !== policy.householdsVariant;
  if (changed) {
    flags.push(
      'Some of the threshold settings are not valid, so standard settings were used instead. Ask an administrator to check them.',
    );
  }
  return clean;
}

/** Two listings of one incident: same day, and same description and place give or take spacing and case. */
function duplicateKey(incident: IncidentForThreshold): string | null {
  const normalise = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ');
  const description = normalise(incident.description);
  // Without a description there is nothing to say two listings are the same incident.
  if (description === '') return null;
  return JSON.stringify([incident.occurredOn, description, normalise(incident.location)]);
}

interface Window {
  start: IsoDate;
  end: IsoDate;
  months: number;
}

/** Whether one listed incident is a qualifying report, with advice for the officer. */
function assessIncident(
  incident: IncidentForThreshold,
  number: number,
  window: Window,
  policy: ThresholdPolicy,
  flags: string[],
): boolean {
  const label = `Incident ${number}`;
  if (incident.reportedTo.length === 0) {
    flags.push(
      `${label} has not been reported to the council, the police or a landlord, so it is not counted.`,
    );
    return false;
  }
  if (incident.reportedOn === null || !isIsoDate(incident.reportedOn)) {
    flags.push(`${label} does not say when it was reported, so it is not counted.`);
    return false;
  }
  const reportedOn = incident.reportedOn;
  if (compareIsoDates(reportedOn, window.end) > 0) {
    flags.push(
      `${label} has a report date (${formatShortDate(reportedOn)}) after the application date (${formatShortDate(window.end)}), so it is not counted. Check the dates.`,
    );
    return false;
  }
  if (compareIsoDates(reportedOn, window.start) < 0) {
    flags.push(
      `${label} was reported on ${formatShortDate(reportedOn)}, before the last ${windowPhrase(window.months)} (which started on ${formatShortDate(window.start)}), so it is not counted.`,
    );
    return false;
  }
  if (incident.reportedTo.every((agency) => agency === 'other')) {
    flags.push(
      `${label} was reported only to another organisation: check it is one that counts for the threshold.`,
    );
  }
  flagReportTiming(incident, label, reportedOn, policy, flags);
  return true;
}

/** The law's qualifying complaint is made within a month of the behaviour: late ones are advice, not exclusion. */
function flagReportTiming(
  incident: IncidentForThreshold,
  label: string,
  reportedOn: IsoDate,
  policy: ThresholdPolicy,
  flags: string[],
): void {
  if (!isIsoDate(incident.occurredOn)) {
    flags.push(`${label} does not say when it happened: check the date with the applicant.`);
    return;
  }
  const happened = `${incident.occurredOnApproximate ? 'about ' : ''}${formatShortDate(incident.occurredOn)}`;
  if (compareIsoDates(reportedOn, incident.occurredOn) < 0) {
    flags.push(
      `${label} has a report date before the date it happened (happened ${happened}, reported ${formatShortDate(reportedOn)}). Check the dates.`,
    );
    return;
  }
  const lateAfter = addCalendarMonths(incident.occurredOn, policy.lateReportMonths);
  if (compareIsoDates(reportedOn, lateAfter) > 0) {
    flags.push(
      `${label} was reported more than ${monthsPhrase(policy.lateReportMonths)} after it happened (happened ${happened}, reported ${formatShortDate(reportedOn)}).`,
    );
  }
}

/** Counts qualifying incidents, each real incident once, and adds flags as it goes. */
function countIncidents(
  incidents: IncidentForThreshold[],
  window: Window,
  policy: ThresholdPolicy,
  flags: string[],
): number {
  const firstListing = new Map<string, number>();
  const countedKeys = new Set<string>();
  let counted = 0;
  incidents.forEach((incident, index) => {
    const number = index + 1;
    const key = duplicateKey(incident);
    if (key === null) {
      if (assessIncident(incident, number, window, policy, flags)) counted += 1;
      return;
    }
    const earlier = firstListing.get(key);
    if (earlier === undefined) {
      firstListing.set(key, number);
    } else {
      flags.push(
        `Incident ${number} looks like the same incident as incident ${earlier} (same date, description and place), so it is only counted once.`,
      );
      // Already counted through an earlier listing: nothing more to add, or to flag twice.
      if (countedKeys.has(key)) return;
    }
    if (assessIncident(incident, number, window, policy, flags)) {
      countedKeys.add(key);
      counted += 1;
    }
  });
  return counted;
}

function neededPhrase(required: number): string {
  return required === 1 ? '1 is needed' : `${required} are needed`;
}

function countSentence(counted: number, required: number, months: number): string {
  const needed = neededPhrase(required);
  const period = `in the last ${windowPhrase(months)}`;
  if (counted === 0) return `None of your incidents were reported ${period}; ${needed}.`;
  const verb = counted === 1 ? 'was' : 'were';
  return `${counted} of your incidents ${verb} reported ${period}; ${needed}.`;
}

function notMet(
  reasons: string[],
  flags: string[],
  required: number,
  windowStart: IsoDate,
  countedIncidents = 0,
): ThresholdAdvice {
  return { met: false, countedIncidents, required, reasons, flags, rule: 'none', windowStart };
}

/** The local variants, tried only when the count alone does not meet the threshold. */
function applyVariants(
  input: ThresholdInput,
  policy: ThresholdPolicy,
  counted: number,
  reasons: string[],
  flags: string[],
): ThresholdAdvice['rule'] {
  const months = windowPhrase(policy.windowMonths);
  if (policy.singleHateIncidentMeets && counted >= 1) {
    if (input.hateMotivated === 'yes') {
      reasons.push(
        `You told us the behaviour was motivated by hate. Under this council's rules, one hate-motivated incident reported in the last ${months} meets the threshold.`,
      );
      return 'hate-incident';
    }
    if (input.hateMotivated === 'not-sure') {
      flags.push(
        'The applicant is not sure the behaviour was motivated by hate: the officer should check, because one hate-motivated incident meets the threshold here.',
      );
    }
  }
  const households = policy.householdsVariant;
  if (households !== null && counted >= 1) {
    const reporting = input.householdsReporting;
    if (reporting !== null && Number.isFinite(reporting) && reporting >= households) {
      reasons.push(
        `${reporting} separate households reported related incidents. Under this council's rules, reports from ${households} or more households meet the threshold.`,
      );
      return 'households';
    }
  }
  return 'none';
}

export function assessThreshold(
  input: ThresholdInput,
  policy: ThresholdPolicy = defaultThresholdPolicy,
): ThresholdAdvice {
  const reasons: string[] = [];
  const flags: string[] = [];
  const clean = sanitisePolicy(policy, flags);
  const required = clean.minimumIncidents;

  if (!isIsoDate(input.applicationDate)) {
    reasons.push('We could not read the date of the application, so the threshold could not be checked.');
    return notMet(reasons, flags, required, input.applicationDate);
  }
  const window: Window = {
    start: addCalendarMonths(input.applicationDate, -clean.windowMonths),
    end: input.applicationDate,
    months: clean.windowMonths,
  };

  if (input.incidents.length === 0) {
    reasons.push(
      `You have not told us about any incidents. The threshold needs ${required === 1 ? '1 incident' : `${required} incidents`} reported in the last ${windowPhrase(clean.windowMonths)}.`,
    );
    return notMet(reasons, flags, required, window.start);
  }

  const counted = countIncidents(input.incidents, window, clean, flags);

  if (input.incidentsRelated === 'no') {
    reasons.push(
      'You told us the incidents are not related. The threshold needs related incidents (the same people, place or problem).',
    );
    flags.push(
      `If the incidents are in fact related, ${counted} of them would count towards the threshold; ${neededPhrase(required)}.`,
    );
    return notMet(reasons, flags, required, window.start);
  }
  if (input.incidentsRelated === 'not-sure') {
    flags.push('The applicant is not sure the incidents are related: the officer should check.');
  }

  reasons.push(countSentence(counted, required, clean.windowMonths));
  const rule: ThresholdAdvice['rule'] =
    counted >= required ? 'count' : applyVariants(input, clean, counted, reasons, flags);
  return {
    met: rule !== 'none',
    countedIncidents: counted,
    required,
    reasons,
    flags,
    rule,
    windowStart: window.start,
  };
}
