import type { z } from 'zod';
import type { Council } from '../../council.ts';
import { oneLine } from '../../domain/control-characters.ts';
import type { FormFields } from '../../journey/fields.ts';
import type { CouncilChanges } from '../../services/council-settings.ts';
import type { PageErrors } from '../apply/errors.ts';

/**
 * The settings page as data: each form field, where it lives in the council's settings, and the
 * GOV.UK error messages for it. Validation itself is councilSchema's (through councilSettings);
 * this file only turns form text into values and zod's issues into sentences.
 */
type Kind = 'text' | 'email' | 'url' | 'lines' | 'number' | 'yesNo' | 'households';

export interface SettingsField {
  id: string;
  path: readonly [keyof Council] | readonly [keyof Council, string];
  kind: Kind;
  /** Starts an error message sentence about a number: "Working days to acknowledge". */
  name?: string;
  required: string;
  invalid?: string;
  tooBig?: string;
}

const urlInvalid = 'Enter a full web address starting with https://, like https://www.example.gov.uk/page';

export const settingsFields: readonly SettingsField[] = [
  { id: 'name', path: ['name'], kind: 'text', required: 'Enter the council’s name' },
  { id: 'partnershipName', path: ['partnershipName'], kind: 'text', required: 'Enter the partnership’s name' },
  { id: 'serviceName', path: ['serviceName'], kind: 'text', required: 'Enter the service name' },
  { id: 'contactName', path: ['contact', 'name'], kind: 'text', required: 'Enter the contact’s name' },
  { id: 'contactRole', path: ['contact', 'role'], kind: 'text', required: 'Enter the contact’s job title' },
  { id: 'contactTeam', path: ['contact', 'team'], kind: 'text', required: 'Enter the contact’s team' },
  { id: 'contactAddress', path: ['contact', 'address'], kind: 'lines', required: 'Enter the postal address' },
  { id: 'contactPhone', path: ['contact', 'phone'], kind: 'text', required: 'Enter the phone number' },
  {
    id: 'contactEmail',
    path: ['contact', 'email'],
    kind: 'email',
    required: 'Enter the email address',
    invalid: 'Enter an email address in the correct format, like name@example.gov.uk',
  },
  {
    id: 'reportAsbUrl',
    path: ['reportAsbUrl'],
    kind: 'url',
    required: 'Enter the web address for reporting anti-social behaviour',
    invalid: urlInvalid,
  },
  {
    id: 'complaintsUrl',
    path: ['complaintsUrl'],
    kind: 'url',
    required: 'Enter the web address of the complaints procedure',
    invalid: urlInvalid,
  },
  { id: 'pccName', path: ['pcc', 'name'], kind: 'text', required: 'Enter the name of the Police and Crime Commissioner’s office' },
  { id: 'pccAppealUrl', path: ['pcc', 'appealUrl'], kind: 'url', required: 'Enter the web address for appeals', invalid: urlInvalid },
  {
    id: 'pccAppealWithinWorkingDays',
    path: ['pcc', 'appealWithinWorkingDays'],
    kind: 'number',
    name: 'Working days to appeal',
    required: 'Enter the number of working days an applicant has to appeal',
  },
  {
    id: 'minimumIncidents',
    path: ['threshold', 'minimumIncidents'],
    kind: 'number',
    name: 'The minimum number of incidents',
    required: 'Select the minimum number of incidents',
    tooBig: 'The minimum number of incidents must be 3 or fewer: the law lets a council set a lower number, never a higher one',
  },
  {
    id: 'windowMonths',
    path: ['threshold', 'windowMonths'],
    kind: 'number',
    name: 'The period the incidents must fall in',
    required: 'Enter the number of months the incidents must fall in',
    tooBig: 'The period the incidents must fall in must be 6 months or fewer',
  },
  {
    id: 'lateReportMonths',
    path: ['threshold', 'lateReportMonths'],
    kind: 'number',
    name: 'Months before a report counts as late',
    required: 'Enter the number of months after which a report counts as late',
  },
  {
    id: 'singleHateIncidentMeets',
    path: ['threshold', 'singleHateIncidentMeets'],
    kind: 'yesNo',
    required: 'Select yes if a single hate incident meets the threshold',
  },
  {
    id: 'householdsVariant',
    path: ['threshold', 'householdsVariant'],
    kind: 'households',
    name: 'The number of households',
    required: 'Enter the number of households',
  },
  deadline('acknowledgementWorkingDays', 'acknowledge an application'),
  deadline('thresholdDecisionWorkingDays', 'decide the threshold'),
  deadline('agencyInformationWorkingDays', 'for partner agencies to reply'),
  deadline('reviewMeetingWorkingDays', 'hold the review meeting'),
  deadline('outcomeLetterWorkingDays', 'send the outcome letter'),
  { id: 'partnerAgencies', path: ['partnerAgencies'], kind: 'lines', required: 'Enter the partner agencies, one on each line' },
  {
    id: 'retentionMonths',
    path: ['retentionMonths'],
    kind: 'number',
    name: 'Months to keep closed cases',
    required: 'Enter the number of months to keep closed cases',
  },
];

function deadline(key: keyof Council['deadlines'], what: string): SettingsField {
  return {
    id: key,
    path: ['deadlines', key],
    kind: 'number',
    name: `Working days to ${what}`,
    required: `Enter the working days to ${what}`,
  };
}

/** The form's field names, for normaliseForm. */
export const settingsFieldNames: readonly string[] = [...settingsFields.map((field) => field.id), 'householdsVariantOn'];

/** The form's fields for normaliseForm: the lists (one item a line) are its only multi-line ones. */
export const settingsFormFields: FormFields = {
  single: settingsFieldNames,
  multiline: settingsFields.filter((field) => field.kind === 'lines').map((field) => field.id),
};

function valueAt(council: Council, path: SettingsField['path']): unknown {
  const top: unknown = council[path[0]];
  return path.length === 1 ? top : (top as Record<string, unknown>)[path[1]];
}

/** The form's text for the current settings. */
export function formFromCouncil(council: Council): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of settingsFields) {
    const value = valueAt(council, field.path);
    if (field.kind === 'lines') values[field.id] = Array.isArray(value) ? value.join('\n') : '';
    else if (field.kind === 'yesNo') values[field.id] = value ? 'yes' : 'no';
    else if (field.kind === 'households') {
      values.householdsVariantOn = value === null ? 'no' : 'yes';
      values[field.id] = value === null ? '' : String(value);
    } else values[field.id] = String(value);
  }
  return values;
}

// A whole number (possibly negative, so "-1" gets "must be 1 or more"); anything else is NaN,
// which the schema refuses and the messages call "not a whole number".
const wholeNumber = (text: string): number => (/^-?\d{1,9}$/.test(text) ? Number(text) : Number.NaN);

function fieldValue(field: SettingsField, values: Record<string, string>): unknown {
  const text = values[field.id] ?? '';
  switch (field.kind) {
    case 'lines':
      // Each line is a single-line value (an address line, an agency's name).
      return text
        .split('\n')
        .map((line) => oneLine(line).trim())
        .filter(Boolean);
    case 'number':
      return wholeNumber(text);
    case 'yesNo':
      // null (not undefined, which would keep the old value) makes the schema ask for an answer.
      return text === 'yes' ? true : text === 'no' ? false : null;
    case 'households': {
      const on = values.householdsVariantOn;
      return on === 'no' ? null : on === 'yes' ? wholeNumber(text) : 'unanswered';
    }
    default:
      return text;
  }
}

/** Every field of the form as changes to the settings (checked by councilSettings.update). */
export function changesFromForm(values: Record<string, string>): CouncilChanges {
  const changes: Record<string, unknown> = {};
  for (const field of settingsFields) {
    const value = fieldValue(field, values);
    const [top, nested] = field.path;
    if (nested === undefined) changes[top] = value;
    else changes[top] = { ...(changes[top] as Record<string, unknown> | undefined), [nested]: value };
  }
  return changes;
}

function messageFor(field: SettingsField, issue: z.core.$ZodIssue, values: Record<string, string>): { id: string; text: string } {
  const text = values[field.id] ?? '';
  if (field.kind === 'households' && values.householdsVariantOn !== 'yes') {
    return { id: 'householdsVariantOn', text: 'Select yes if reports from several households can meet the threshold' };
  }
  if (field.kind === 'lines' || field.kind === 'yesNo' || text === '') return { id: field.id, text: field.required };
  if (field.kind === 'email' || field.kind === 'url') return { id: field.id, text: field.invalid ?? field.required };
  if (field.kind === 'number' || field.kind === 'households') {
    const name = field.name ?? field.id;
    // Whole numbers: "more than 0" (positive) reads better as "1 or more".
    if (issue.code === 'too_small') {
      const least = Number(issue.minimum) + (issue.inclusive === false ? 1 : 0);
      return { id: field.id, text: `${name} must be ${least} or more` };
    }
    if (issue.code === 'too_big') {
      const most = Number(issue.maximum) - (issue.inclusive === false ? 1 : 0);
      return { id: field.id, text: field.tooBig ?? `${name} must be ${most} or fewer` };
    }
    return { id: field.id, text: `${name} must be a whole number, like 5` };
  }
  if (issue.code === 'too_big') return { id: field.id, text: `${field.required} in ${String(issue.maximum)} characters or fewer` };
  return { id: field.id, text: field.required };
}

/** zod's issues as the GOV.UK error summary and inline messages, in the order of the form. */
export function settingsErrors(error: z.ZodError, values: Record<string, string>): PageErrors {
  const fields: Record<string, string> = {};
  for (const field of settingsFields) {
    const issue = error.issues.find((candidate) => field.path.every((key, index) => candidate.path[index] === key));
    if (!issue) continue;
    const { id, text } = messageFor(field, issue, values);
    fields[id] ??= text;
  }
  const order = settingsFieldNames.flatMap((name) =>
    name === 'householdsVariant' ? ['householdsVariantOn', name] : name === 'householdsVariantOn' ? [] : [name],
  );
  const summary = order.filter((id) => fields[id] !== undefined).map((id) => ({ text: fields[id] ?? '', href: `#${id}` }));
  return { summary, fields, dateParts: {} };
}
