import { statusLabels, type CaseStatus } from '../../domain/case-status.ts';

/** Stored codes (statuses, answers, email states) in the words the officers' pages use. */

const statusTagColours: Record<CaseStatus, string> = {
  received: 'blue',
  acknowledged: 'light-blue',
  threshold_met: 'green',
  threshold_not_met: 'orange',
  rejected: 'red',
  review_scheduled: 'purple',
  review_held: 'pink',
  outcome_sent: 'turquoise',
  appeal_received: 'yellow',
  appeal_concluded: 'yellow',
  closed: 'grey',
  withdrawn: 'grey',
};

export const labels = {
  victimType: { person: 'A person', business: 'A business', group: 'A community group' },
  preferredContact: { email: 'Email', phone: 'Phone', letter: 'Letter' },
  consentMethod: { upload: 'Signed consent form uploaded', declaration: 'Declaration that the victim agreed' },
  reportedTo: { council: 'The council', police: 'The police', landlord: 'Landlord or housing provider', other: 'Someone else' },
  yesNoNotSure: { yes: 'Yes', no: 'No', 'not-sure': 'Not sure' },
  hateTypes: {
    disability: 'Disability',
    race: 'Race',
    religion: 'Religion or belief',
    'sexual-orientation': 'Sexual orientation',
    'transgender-identity': 'Transgender identity',
  },
  decision: { met: 'Threshold met', 'not-met': 'Threshold not met', rejected: 'Rejected' },
  emailKind: { acknowledgement: 'Acknowledgement', 'new-application': 'New application notice to the officers’ mailbox' },
  emailStatus: { pending: 'Waiting to be sent', sending: 'Sending', sent: 'Sent', failed: 'Failed' },
} as const;

/** A stored code in words: from the map, or the code itself made readable. */
export function label(map: Readonly<Record<string, string>>, value: string): string {
  const known = map[value];
  if (known !== undefined) return known;
  const words = value.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const orNone = (value: string | null | undefined) => (value && value.trim() ? value : 'Not given');

export function statusTag(status: CaseStatus) {
  return { label: statusLabels[status], classes: `govuk-tag govuk-tag--${statusTagColours[status]}` };
}
