/**
 * The "Check if you can apply" questions, before the application form.
 *
 * The result is advice for the resident: it says plainly whether to apply, to report the
 * behaviour first or to use a complaints procedure instead. It never stops anyone applying;
 * the officer decides the threshold from the application itself.
 */

export type EligibilityOutcome = 'complain' | 'report-first' | 'apply' | 'apply-may-not-meet';

export type YesNo = 'yes' | 'no';

/** How many related incidents were reported in the council's window, against its minimum. */
export type IncidentBand = 'none' | 'below' | 'meets';

export interface EligibilityAnswers {
  /** Reported to the council, the police or the landlord. */
  reported: YesNo;
  incidents: IncidentBand;
  /** The concern is mainly about how staff treated the person (a complaint). */
  aboutStaff: YesNo;
}

export const yesNoValues = ['yes', 'no'] as const satisfies readonly YesNo[];
export const incidentBandValues = ['none', 'below', 'meets'] as const satisfies readonly IncidentBand[];

/**
 * In order of precedence: a complaint about staff belongs in a complaints procedure whatever
 * else is true; behaviour nobody has reported should be reported first; then the count.
 */
export function eligibilityOutcome(answers: EligibilityAnswers): EligibilityOutcome {
  if (answers.aboutStaff === 'yes') return 'complain';
  if (answers.reported === 'no') return 'report-first';
  return answers.incidents === 'meets' ? 'apply' : 'apply-may-not-meet';
}

export interface IncidentBandOption {
  value: IncidentBand;
  text: string;
}

/**
 * The answers to "How many related incidents have you reported?", from the council's minimum:
 * 3 gives "None", "1 or 2", "3 or more"; 2 gives "None", "1", "2 or more"; 1 gives "None",
 * "1 or more" (there is no "below" band when one incident is enough).
 */
export function incidentBandOptions(minimumIncidents: number): IncidentBandOption[] {
  const minimum = Number.isInteger(minimumIncidents) && minimumIncidents >= 1 ? minimumIncidents : 3;
  const options: IncidentBandOption[] = [{ value: 'none', text: 'None' }];
  const highestBelow = minimum - 1;
  if (highestBelow >= 1) {
    let text: string;
    if (highestBelow === 1) text = '1';
    else if (highestBelow === 2) text = '1 or 2';
    else text = `1 to ${highestBelow}`;
    options.push({ value: 'below', text });
  }
  options.push({ value: 'meets', text: `${minimum} or more` });
  return options;
}
