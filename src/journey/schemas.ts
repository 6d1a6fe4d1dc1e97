import { memoised } from './memoised.ts';
import { z } from 'zod';
import {
  checkDate,
  choice,
  choices,
  datePartField,
  dateParts,
  emailField,
  limits,
  optionalText,
  phoneField,
  postcodeField,
  requiredText,
} from './fields.ts';

/**
 * One zod schema per question page. Each takes the values of that page (trimmed strings) and
 * `who` (how to address the resident: "you" applying for themselves, "the person" otherwise),
 * and produces typed answers. Messages follow the GOV.UK error message style.
 */
export interface Wording {
  self: boolean;
  /** "your" or "their" */
  possessive: string;
}

export function wordingFor(applyingAs: string | undefined): Wording {
  const self = applyingAs !== 'on-behalf';
  return { self, possessive: self ? 'your' : 'their' };
}

/**
 * Cross-field rules run even when a single field already failed, so the resident sees every
 * problem on the page at once (zod skips refinements after a failure unless told otherwise).
 */
const always = { when: () => true };

const tooLong = (what: string, max: number) => `${what} must be ${max} characters or less`;

const buildWhoIsApplyingSchema = () =>
  z.object({
    applyingAs: choice(['self', 'on-behalf'], 'Select if you are applying for yourself or for someone else'),
  });

const buildVictimTypeSchema = (w: Wording) =>
  z.object({
    victimType: choice(
      ['person', 'business', 'group'],
      w.self
        ? 'Select if you are applying as a person, a business or a community group'
        : 'Select if the victim is a person, a business or a community group',
    ),
  });

/** Address and name of the victim; organisations give their name and a contact person. */
const buildVictimDetailsSchema = (w: Wording, victimType: string | undefined, today: string) => {
  const organisation = victimType === 'business' || victimType === 'group';
  const orgWord = victimType === 'business' ? 'business' : 'group';
  return z
    .object({
      fullName: requiredText(
        organisation ? 'Enter the name of the contact person' : w.self ? 'Enter your full name' : 'Enter their full name',
        limits.short,
        tooLong('Full name', limits.short),
      ),
      organisationName: organisation
        ? requiredText(`Enter the name of the ${orgWord}`, limits.short, tooLong('Name', limits.short))
        : optionalText(limits.short, tooLong('Name', limits.short)),
      addressLine1: requiredText(
        'Enter address line 1, typically the building and street',
        limits.short,
        tooLong('Address line 1', limits.short),
      ),
      addressLine2: optionalText(limits.short, tooLong('Address line 2', limits.short)),
      town: requiredText('Enter town or city', limits.short, tooLong('Town or city', limits.short)),
      postcode: postcodeField('Enter postcode', 'Enter a real postcode'),
      'dateOfBirth-day': datePartField('Date of birth'),
      'dateOfBirth-month': datePartField('Date of birth'),
      'dateOfBirth-year': datePartField('Date of birth'),
    })
    .superRefine((values, ctx) => {
      const birth = checkDate(dateParts(values, 'dateOfBirth'), birthRule(today));
      if (!birth.ok) ctx.addIssue({ code: 'custom', path: [`dateOfBirth-${birth.parts[0]}`], message: birth.message });
    }, always)
    .transform((values) => {
      const birth = checkDate(dateParts(values, 'dateOfBirth'), birthRule(today));
      return {
        fullName: values.fullName,
        organisationName: organisation ? values.organisationName : null,
        addressLine1: values.addressLine1,
        addressLine2: values.addressLine2,
        town: values.town,
        postcode: values.postcode,
        dateOfBirth: organisation || !birth.ok ? null : birth.iso,
      };
    });
};

const birthRule = (today: string) => ({
  label: 'Date of birth',
  required: false,
  notAfter: today,
  notAfterMessage: 'Date of birth must be in the past',
});

export const contactMethods = ['email', 'phone', 'letter'] as const;

const buildVictimContactSchema = (w: Wording) =>
  z
    .object({
      email: emailField({ required: null, invalid: 'Enter an email address in the correct format, like name@example.com' }),
      phone: phoneField({ required: null, invalid: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' }),
      preferredContact: choice(
        contactMethods,
        w.self ? 'Select how you would like us to contact you' : 'Select how they would like us to contact them',
      ),
      safeTimes: optionalText(limits.medium, tooLong('Safe times to contact', limits.medium)),
      needs: optionalText(limits.long, tooLong('Language, accessibility or communication needs', limits.long)),
    })
    .superRefine((values, ctx) => {
      if (values.preferredContact === 'email' && !values.email) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address, or choose another way to be contacted' });
      }
      if (values.preferredContact === 'phone' && !values.phone) {
        ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Enter a telephone number, or choose another way to be contacted' });
      }
    }, always);

const buildApplicantDetailsSchema = () =>
  z
    .object({
      fullName: requiredText('Enter your full name', limits.short, tooLong('Full name', limits.short)),
      relationship: requiredText(
        'Enter your relationship to the victim, for example daughter, carer or councillor',
        limits.short,
        tooLong('Relationship', limits.short),
      ),
      organisation: optionalText(limits.short, tooLong('Organisation', limits.short)),
      email: emailField({ required: null, invalid: 'Enter an email address in the correct format, like name@example.com' }),
      phone: phoneField({ required: null, invalid: 'Enter a telephone number, like 01632 960 001 or 07700 900 982' }),
    })
    .superRefine((values, ctx) => {
      if (!values.email && !values.phone) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address or a telephone number so we can contact you' });
      }
    }, always);

const buildConsentSchema = () =>
  z
    .object({
      consentMethod: choice(['upload', 'declaration'], 'Select how you will show the victim has agreed to this application'),
      // The declaration's one checkbox: ticked ('yes') or not (''), nothing else.
      consentDeclared: choice(['yes', ''], 'Confirm that the victim has agreed to you applying for them'),
      howToConfirm: optionalText(limits.medium, tooLong('How we can confirm consent', limits.medium)),
    })
    .superRefine((values, ctx) => {
      if (values.consentMethod !== 'declaration') return;
      if (values.consentDeclared !== 'yes') {
        ctx.addIssue({ code: 'custom', path: ['consentDeclared'], message: 'Confirm that the victim has agreed to you applying for them' });
      }
      if (!values.howToConfirm) {
        ctx.addIssue({ code: 'custom', path: ['howToConfirm'], message: 'Enter how we can contact the victim to confirm they agreed' });
      }
    }, always)
    .transform((values) => ({
      method: values.consentMethod,
      declared: values.consentMethod === 'declaration',
      howToConfirm: values.consentMethod === 'declaration' ? values.howToConfirm : null,
    }));

export const agencies = ['council', 'police', 'landlord', 'other'] as const;
export type AgencyAnswer = (typeof agencies)[number];

/** One incident (the add-another pattern adds these one at a time). */
const buildIncidentSchema = (today: string) =>
  z
    .object({
      'occurredOn-day': datePartField('Date it happened'),
      'occurredOn-month': datePartField('Date it happened'),
      'occurredOn-year': datePartField('Date it happened'),
      approximate: choices(['yes'], 'Select if the date it happened is approximate'),
      description: requiredText('Enter what happened', limits.long, tooLong('What happened', limits.long)),
      location: requiredText('Enter where it happened', limits.medium, tooLong('Where it happened', limits.medium)),
      reportedTo: choices([...agencies, 'none'], 'Select who you reported it to, or select ‘I have not reported it’'),
      reportedToOther: optionalText(limits.short, tooLong('Who you reported it to', limits.short)),
      'reportedOn-day': datePartField('Date you reported it'),
      'reportedOn-month': datePartField('Date you reported it'),
      'reportedOn-year': datePartField('Date you reported it'),
      reference: optionalText(limits.short, tooLong('Reference or crime number', limits.short)),
    })
    .superRefine((values, ctx) => {
      const checked = checkIncident(values, today);
      for (const issue of checked.issues) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    }, always)
    .transform((values) => {
      const { occurredOn, reportedOn, reportedTo } = checkIncident(values, today);
      return {
        occurredOn: occurredOn ?? '',
        occurredOnApproximate: values.approximate.includes('yes'),
        description: values.description,
        location: values.location,
        reportedTo,
        reportedToOther: reportedTo.includes('other') ? values.reportedToOther : null,
        reportedOn,
        reference: reportedTo.length > 0 ? values.reference : null,
      };
    });

interface RawIncident {
  [field: string]: unknown;
  reportedTo?: unknown;
  reportedToOther?: unknown;
}

/** The rules that span an incident's fields: real dates, who it was reported to and when. */
function checkIncident(values: RawIncident, today: string) {
  const issues: Array<{ path: string; message: string }> = [];
  const occurred = checkDate(dateParts(values, 'occurredOn'), {
    label: 'Date it happened',
    required: true,
    notAfter: today,
    notAfterMessage: 'Date it happened must be today or in the past',
  });
  if (!occurred.ok) issues.push({ path: `occurredOn-${occurred.parts[0]}`, message: occurred.message });

  const chosen = Array.isArray(values.reportedTo) ? values.reportedTo.filter((item): item is string => typeof item === 'string') : [];
  const reportedTo = chosen.filter((item): item is AgencyAnswer => (agencies as readonly string[]).includes(item));
  if (chosen.length === 0) {
    issues.push({ path: 'reportedTo', message: 'Select who you reported it to, or select ‘I have not reported it’' });
  } else if (chosen.includes('none') && reportedTo.length > 0) {
    issues.push({ path: 'reportedTo', message: 'Select who you reported it to, or select ‘I have not reported it’, not both' });
  }
  if (reportedTo.includes('other') && !values.reportedToOther) {
    issues.push({ path: 'reportedToOther', message: 'Enter who else you reported it to' });
  }
  let reportedOn: string | null = null;
  if (reportedTo.length > 0) {
    const reported = checkDate(dateParts(values, 'reportedOn'), {
      label: 'Date you reported it',
      required: true,
      notAfter: today,
      notAfterMessage: 'Date you reported it must be today or in the past',
    });
    if (!reported.ok) {
      issues.push({ path: `reportedOn-${reported.parts[0]}`, message: reported.message });
    } else {
      reportedOn = reported.iso;
      if (occurred.ok && occurred.iso && reportedOn && reportedOn < occurred.iso) {
        issues.push({ path: 'reportedOn-day', message: 'Date you reported it must be the same as or after the date it happened' });
      }
    }
  }
  return { issues, occurredOn: occurred.ok ? occurred.iso : null, reportedOn, reportedTo };
}

const buildAddAnotherIncidentSchema = () =>
  z.object({ addAnother: choice(['yes', 'no'], 'Select yes if you want to add another incident') });

const buildRelatedIncidentsSchema = () =>
  z
    .object({
      incidentsRelated: choice(['yes', 'no', 'not-sure'], 'Select if the incidents are related'),
      otherHouseholds: choice(['yes', 'no', 'not-sure'], 'Select if other households have reported related incidents'),
      // Kept in the draft even when hidden (another answer than yes), so bounded either way.
      householdsCount: z.string().max(4, 'Number of households must be a whole number between 2 and 1000'),
    })
    .superRefine((values, ctx) => {
      if (values.otherHouseholds !== 'yes') return;
      // Digits only: Number() would also read '0x10', '1e3' and '5.0' as whole numbers, and check
      // your answers would show what was typed while the case stored something else.
      const count = /^\d+$/.test(values.householdsCount) ? Number(values.householdsCount) : Number.NaN;
      if (values.householdsCount === '') {
        ctx.addIssue({ code: 'custom', path: ['householdsCount'], message: 'Enter how many households have reported it, including yours' });
      } else if (!Number.isInteger(count) || count < 2 || count > 1000) {
        ctx.addIssue({
          code: 'custom',
          path: ['householdsCount'],
          message: 'Number of households must be a whole number between 2 and 1000',
        });
      }
    }, always)
    .transform((values) => ({
      incidentsRelated: values.incidentsRelated,
      otherHouseholds: values.otherHouseholds,
      householdsReporting: values.otherHouseholds === 'yes' ? Number(values.householdsCount) : null,
    }));

export const hateTypes = ['disability', 'race', 'religion', 'sexual-orientation', 'transgender-identity'] as const;

const buildImpactSchema = (w: Wording) =>
  z
    .object({
      impact: requiredText(
        w.self
          ? 'Enter how the anti-social behaviour has affected you and your household'
          : 'Enter how the anti-social behaviour has affected them and their household',
        limits.long,
        tooLong('How it has affected', limits.long),
      ),
      vulnerable: choice(['yes', 'no'], 'Select yes if anyone in the household is vulnerable or has a disability'),
      vulnerability: optionalText(limits.long, tooLong('Details of vulnerability', limits.long)),
      hateMotivated: choice(['yes', 'no', 'not-sure'], 'Select if you think the behaviour was motivated by hate'),
      hateTypes: choices(hateTypes, 'Select what you think the hate was about'),
    })
    .superRefine((values, ctx) => {
      if (values.vulnerable === 'yes' && !values.vulnerability) {
        ctx.addIssue({ code: 'custom', path: ['vulnerability'], message: 'Enter who is vulnerable and how' });
      }
      if (values.hateMotivated === 'yes' && values.hateTypes.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['hateTypes'], message: 'Select what you think the hate was about' });
      }
    }, always)
    .transform((values) => ({
      impact: values.impact,
      vulnerability: values.vulnerable === 'yes' ? values.vulnerability : null,
      hateMotivated: values.hateMotivated,
      hateTypes: values.hateMotivated === 'yes' ? values.hateTypes.filter((item) => (hateTypes as readonly string[]).includes(item)) : [],
    }));

const buildActionSoFarSchema = () =>
  z.object({
    actionSoFar: requiredText(
      'Enter what has been done about the anti-social behaviour so far',
      limits.long,
      tooLong('What has been done so far', limits.long),
    ),
    hopedOutcome: requiredText(
      'Enter what you hope the review will achieve',
      limits.long,
      tooLong('What you hope the review will achieve', limits.long),
    ),
  });

const buildDeclarationSchema = () =>
  z.object({
    declaration: z.literal('yes', { error: () => 'Confirm that the information you have given is true to the best of your knowledge' }),
    submissionKey: z.string().min(1).max(100),
  });

// Each builder runs once per distinct set of arguments (see memoised).
export const whoIsApplyingSchema = memoised(buildWhoIsApplyingSchema);
export const victimTypeSchema = memoised(buildVictimTypeSchema);
export const victimDetailsSchema = memoised(buildVictimDetailsSchema);
export const victimContactSchema = memoised(buildVictimContactSchema);
export const applicantDetailsSchema = memoised(buildApplicantDetailsSchema);
export const consentSchema = memoised(buildConsentSchema);
export const incidentSchema = memoised(buildIncidentSchema);
export const addAnotherIncidentSchema = memoised(buildAddAnotherIncidentSchema);
export const relatedIncidentsSchema = memoised(buildRelatedIncidentsSchema);
export const impactSchema = memoised(buildImpactSchema);
export const actionSoFarSchema = memoised(buildActionSoFarSchema);
export const declarationSchema = memoised(buildDeclarationSchema);
