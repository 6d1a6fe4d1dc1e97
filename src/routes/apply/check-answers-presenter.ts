import { formatShortDate } from '../../domain/calendar-date.ts';
import type { FormValues } from '../../journey/fields.ts';
import type { Answers } from '../../journey/steps.ts';

/** Check-your-answers, as sections of summary-list rows, each with a Change link to its page. */
export interface Row {
  key: string;
  value: string;
  href?: string;
}

export const labels = {
  applyingAs: { self: 'For myself', 'on-behalf': 'For someone else' },
  victimType: { person: 'A person', business: 'A business', group: 'A community group' },
  preferredContact: { email: 'Email', phone: 'Phone', letter: 'Letter' },
  consentMethod: { upload: 'Signed consent form uploaded', declaration: 'The victim agreed and I confirm it' },
  reportedTo: { council: 'The council', police: 'The police', landlord: 'Landlord or housing provider', other: 'Someone else', none: 'Not reported' },
  yesNoNotSure: { yes: 'Yes', no: 'No', 'not-sure': 'Not sure' },
  hateTypes: {
    disability: 'Disability',
    race: 'Race',
    religion: 'Religion or belief',
    'sexual-orientation': 'Sexual orientation',
    'transgender-identity': 'Transgender identity',
  },
} as const;

const text = (values: FormValues | undefined, field: string): string => {
  const value = values?.[field];
  return typeof value === 'string' ? value : '';
};
const list = (values: FormValues | undefined, field: string): string[] => {
  const value = values?.[field];
  return Array.isArray(value) ? value : [];
};
const label = <T extends Record<string, string>>(map: T, value: string): string => (value in map ? map[value as keyof T] : value) as string;
const orNone = (value: string) => value || 'Not given';

function dateText(values: FormValues | undefined, prefix: string): string {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => text(values, `${prefix}-${part}`));
  if (!day || !month || !year) return '';
  const iso = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  try {
    return formatShortDate(iso);
  } catch {
    return `${day}/${month}/${year}`;
  }
}

export function incidentRows(incident: FormValues): Row[] {
  const reportedTo = list(incident, 'reportedTo');
  const reported = reportedTo.length > 0 && !reportedTo.includes('none');
  const who = reportedTo.map((item) => (item === 'other' ? `Someone else: ${text(incident, 'reportedToOther')}` : label(labels.reportedTo, item)));
  const rows: Row[] = [
    { key: 'Date', value: `${dateText(incident, 'occurredOn')}${list(incident, 'approximate').includes('yes') ? ' (approximate)' : ''}` },
    { key: 'What happened', value: text(incident, 'description') },
    { key: 'Where', value: text(incident, 'location') },
    { key: 'Reported to', value: who.join('\n') || 'Not reported' },
  ];
  if (reported) {
    rows.push({ key: 'Date reported', value: dateText(incident, 'reportedOn') });
    rows.push({ key: 'Reference or crime number', value: orNone(text(incident, 'reference')) });
  }
  return rows;
}

export function checkAnswersSections(answers: Answers, base: string): Array<{ title: string; rows: Row[]; incidents?: Array<{ number: number; rows: Row[] }> }> {
  const s = answers.steps;
  const change = (slug: string) => `${base}/${slug}?change=1`;
  const onBehalf = text(s['who-is-applying'], 'applyingAs') === 'on-behalf';
  const organisation = ['business', 'group'].includes(text(s['victim-type'], 'victimType'));
  const victim = s['victim-details'];
  const contact = s['victim-contact'];
  const address = [text(victim, 'addressLine1'), text(victim, 'addressLine2'), text(victim, 'town'), text(victim, 'postcode').toUpperCase()].filter(Boolean).join('\n');

  const sections: Array<{ title: string; rows: Row[]; incidents?: Array<{ number: number; rows: Row[] }> }> = [
    {
      title: 'About the application',
      rows: [
        { key: 'Who is applying', value: label(labels.applyingAs, text(s['who-is-applying'], 'applyingAs')), href: change('who-is-applying') },
        { key: 'Who is affected', value: label(labels.victimType, text(s['victim-type'], 'victimType')), href: change('victim-type') },
      ],
    },
    {
      title: onBehalf ? 'The victim' : 'Your details',
      rows: [
        ...(organisation ? [{ key: 'Organisation name', value: text(victim, 'organisationName'), href: change('victim-details') }] : []),
        { key: organisation ? 'Contact name' : 'Full name', value: text(victim, 'fullName'), href: change('victim-details') },
        { key: 'Address', value: address, href: change('victim-details') },
        ...(organisation ? [] : [{ key: 'Date of birth', value: orNone(dateText(victim, 'dateOfBirth')), href: change('victim-details') }]),
        { key: 'Email', value: orNone(text(contact, 'email')), href: change('victim-contact') },
        { key: 'Phone', value: orNone(text(contact, 'phone')), href: change('victim-contact') },
        { key: 'Preferred contact', value: label(labels.preferredContact, text(contact, 'preferredContact')), href: change('victim-contact') },
        { key: 'Safe times to contact', value: orNone(text(contact, 'safeTimes')), href: change('victim-contact') },
        { key: 'Language, accessibility or communication needs', value: orNone(text(contact, 'needs')), href: change('victim-contact') },
      ],
    },
  ];

  if (onBehalf) {
    const applicant = s['applicant-details'];
    const consent = s.consent;
    const method = text(consent, 'consentMethod');
    sections.push({
      title: 'Your details and the victim’s consent',
      rows: [
        { key: 'Your full name', value: text(applicant, 'fullName'), href: change('applicant-details') },
        { key: 'Relationship to the victim', value: text(applicant, 'relationship'), href: change('applicant-details') },
        { key: 'Organisation', value: orNone(text(applicant, 'organisation')), href: change('applicant-details') },
        { key: 'Your email', value: orNone(text(applicant, 'email')), href: change('applicant-details') },
        { key: 'Your phone', value: orNone(text(applicant, 'phone')), href: change('applicant-details') },
        { key: 'Consent', value: label(labels.consentMethod, method), href: change('consent') },
        method === 'upload'
          ? { key: 'Consent form', value: answers.consentUpload?.fileName ?? 'Not uploaded', href: change('consent-upload') }
          : { key: 'How we can confirm consent', value: text(consent, 'howToConfirm'), href: change('consent') },
      ],
    });
  }

  const related = s['related-incidents'];
  sections.push({
    title: 'Incidents',
    rows: [
      { key: 'Incidents added', value: String(answers.incidents.length), href: `${base}/incidents?change=1` },
      { key: 'Are the incidents related', value: label(labels.yesNoNotSure, text(related, 'incidentsRelated')), href: change('related-incidents') },
      {
        key: 'Other households reporting',
        value:
          text(related, 'otherHouseholds') === 'yes'
            ? `Yes, ${text(related, 'householdsCount')} households`
            : label(labels.yesNoNotSure, text(related, 'otherHouseholds')),
        href: change('related-incidents'),
      },
    ],
    incidents: answers.incidents.map((incident, index) => ({ number: index + 1, rows: incidentRows(incident) })),
  });

  const impact = s.impact;
  const hate = text(impact, 'hateMotivated');
  sections.push({
    title: 'Impact and what has been done',
    rows: [
      { key: 'How it has affected the household', value: text(impact, 'impact'), href: change('impact') },
      {
        key: 'Vulnerability',
        value: text(impact, 'vulnerable') === 'yes' ? text(impact, 'vulnerability') : 'No',
        href: change('impact'),
      },
      {
        key: 'Motivated by hate',
        value: hate === 'yes' ? `Yes: ${list(impact, 'hateTypes').map((item) => label(labels.hateTypes, item)).join(', ')}` : label(labels.yesNoNotSure, hate),
        href: change('impact'),
      },
      { key: 'What has been done so far', value: text(s['action-so-far'], 'actionSoFar'), href: change('action-so-far') },
      { key: 'What you hope the review will achieve', value: text(s['action-so-far'], 'hopedOutcome'), href: change('action-so-far') },
    ],
  });
  return sections;
}
