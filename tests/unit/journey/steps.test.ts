import { describe, expect, it } from 'vitest';
import { toApplication, IncompleteApplicationError } from '../../../src/journey/application.ts';
import { emptyAnswers, findStep, journeyProgress, steps, type Answers, type FormStep } from '../../../src/journey/steps.ts';

const today = '2026-11-25';

const incident = {
  'occurredOn-day': '1',
  'occurredOn-month': '11',
  'occurredOn-year': '2026',
  approximate: [],
  description: 'Loud music all night',
  location: 'Flat above',
  reportedTo: ['council'],
  reportedToOther: '',
  'reportedOn-day': '2',
  'reportedOn-month': '11',
  'reportedOn-year': '2026',
  reference: '',
};

function completeAnswers(applyingAs: 'self' | 'on-behalf', consentMethod: 'declaration' | 'upload' = 'declaration'): Answers {
  return {
    steps: {
      'who-is-applying': { applyingAs },
      'victim-type': { victimType: 'person' },
      'victim-details': {
        fullName: 'Alex',
        organisationName: '',
        addressLine1: '1 Road',
        addressLine2: '',
        town: 'Town',
        postcode: 'DE11 0AH',
        'dateOfBirth-day': '',
        'dateOfBirth-month': '',
        'dateOfBirth-year': '',
      },
      'victim-contact': { email: '', phone: '', preferredContact: 'letter', safeTimes: '', needs: '' },
      'applicant-details': { fullName: 'Sam', relationship: 'Son', organisation: '', email: 'sam@example.test', phone: '' },
      consent: { consentMethod, consentDeclared: 'yes', howToConfirm: 'Phone' },
      'related-incidents': { incidentsRelated: 'yes', otherHouseholds: 'no', householdsCount: '' },
      impact: { impact: 'Scared', vulnerable: 'no', vulnerability: '', hateMotivated: 'no', hateTypes: [] },
      'action-so-far': { actionSoFar: 'Reported', hopedOutcome: 'Quiet' },
    },
    incidents: [incident],
    incidentsComplete: true,
    consentUpload: null,
  };
}

describe('the journey table', () => {
  it('has unique slugs, and every next() names a step or check-answers', () => {
    const slugs = steps.map((step) => step.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    const answers = completeAnswers('on-behalf');
    for (const step of steps) expect([...slugs, 'check-answers']).toContain(step.next(answers));
  });

  it.each([
    ['self', 'declaration', ['who-is-applying', 'victim-type', 'victim-details', 'victim-contact', 'incidents', 'related-incidents', 'impact', 'action-so-far', 'check-answers']],
    ['on-behalf', 'declaration', ['who-is-applying', 'victim-type', 'victim-details', 'victim-contact', 'applicant-details', 'consent', 'incidents', 'related-incidents', 'impact', 'action-so-far', 'check-answers']],
  ] as const)('%s applicant (%s consent) passes through exactly these pages', (applyingAs, consent, expected) => {
    expect(journeyProgress(completeAnswers(applyingAs, consent), today).reachable).toEqual(expected);
  });

  it('asks for the upload when the consent is a signed form, and not before it is uploaded', () => {
    const answers = completeAnswers('on-behalf', 'upload');
    expect(journeyProgress(answers, today).firstIncomplete).toBe('consent-upload');
    const uploaded = { ...answers, consentUpload: { uploadId: 'u', fileName: 'f.pdf', size: 10 } };
    expect(journeyProgress(uploaded, today).reachable).toContain('consent-upload');
    expect(journeyProgress(uploaded, today).firstIncomplete).toBe('check-answers');
  });

  it('stops at the first unfinished page', () => {
    expect(journeyProgress(emptyAnswers(), today)).toEqual({ reachable: ['who-is-applying'], firstIncomplete: 'who-is-applying' });
    const answers = completeAnswers('self');
    expect(journeyProgress({ ...answers, incidentsComplete: false }, today).firstIncomplete).toBe('incidents');
    expect(journeyProgress({ ...answers, incidents: [] }, today).firstIncomplete).toBe('incidents');
    const noImpact = { ...answers, steps: { ...answers.steps, impact: { impact: '' } } };
    expect(journeyProgress(noImpact, today).firstIncomplete).toBe('impact');
  });

  it('an answer that no longer passes its rules makes that page unfinished again', () => {
    const answers = completeAnswers('self');
    const broken = { ...answers, steps: { ...answers.steps, 'victim-details': { ...answers.steps['victim-details'], postcode: 'nope' } } };
    expect(journeyProgress(broken, today).firstIncomplete).toBe('victim-details');
  });
});

describe('toApplication', () => {
  it('types a complete application, dropping the applicant and consent for a resident applying for themselves', () => {
    const application = toApplication(completeAnswers('self'), today);
    expect(application.applyingOnBehalf).toBe(false);
    expect(application.applicant).toBeNull();
    expect(application.consent).toBeNull();
    expect(application.victim.postcode).toBe('DE11 0AH');
    expect(application.incidents).toEqual([
      {
        occurredOn: '2026-11-01',
        occurredOnApproximate: false,
        description: 'Loud music all night',
        location: 'Flat above',
        reportedTo: ['council'],
        reportedToOther: null,
        reportedOn: '2026-11-02',
        reference: null,
      },
    ]);
  });

  it('keeps the applicant and the consent declaration when applying for someone else', () => {
    const application = toApplication(completeAnswers('on-behalf'), today);
    expect(application.applicant).toMatchObject({ fullName: 'Sam', relationship: 'Son', email: 'sam@example.test' });
    expect(application.consent).toEqual({ method: 'declaration', declared: true, howToConfirm: 'Phone', uploadId: null });
  });

  it('refuses an incomplete application, naming the page to finish', () => {
    expect(() => toApplication(emptyAnswers(), today)).toThrow(IncompleteApplicationError);
    try {
      toApplication({ ...completeAnswers('self'), incidents: [] }, today);
    } catch (error) {
      expect((error as IncompleteApplicationError).firstIncomplete).toBe('incidents');
    }
  });
});

describe('step schemas', () => {
  const schemaOf = (slug: string) => {
    const step = findStep(slug) as FormStep;
    return (values: Record<string, unknown>, answers = completeAnswers('self')) =>
      step.schema({ wording: { self: true, possessive: 'your' }, answers, today }).safeParse(values);
  };

  it.each([
    ['DE11 0AH', true],
    ['de110ah', true],
    ['SW1A 1AA', true],
    ['EC1A1BB', true],
    ['12345', false],
    ['DE11', false],
    ['', false],
  ])('postcode %s valid: %s', (postcode, valid) => {
    const parse = schemaOf('victim-details');
    const base = completeAnswers('self').steps['victim-details'] ?? {};
    expect(parse({ ...base, postcode }).success).toBe(valid);
  });

  it.each([
    [{ day: '29', month: '2', year: '2024' }, true],
    [{ day: '29', month: '2', year: '2025' }, false],
    [{ day: '31', month: '4', year: '1990' }, false],
    [{ day: '1', month: '13', year: '1990' }, false],
    [{ day: '1', month: '1', year: '90' }, false],
    [{ day: '', month: '', year: '' }, true],
    [{ day: '1', month: '', year: '1990' }, false],
    [{ day: '26', month: '11', year: '2026' }, false],
  ])('date of birth %o valid: %s', (date, valid) => {
    const parse = schemaOf('victim-details');
    const base = completeAnswers('self').steps['victim-details'] ?? {};
    expect(parse({ ...base, 'dateOfBirth-day': date.day, 'dateOfBirth-month': date.month, 'dateOfBirth-year': date.year }).success).toBe(valid);
  });

  it('asks for an email when email is the preferred way to be contacted', () => {
    const result = schemaOf('victim-contact')({ email: '', phone: '', preferredContact: 'email', safeTimes: '', needs: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['Enter an email address, or choose another way to be contacted']);
  });

  it('reports every problem at once, not only the first', () => {
    const result = schemaOf('impact')({ impact: '', vulnerable: 'yes', vulnerability: '', hateMotivated: 'yes', hateTypes: [] });
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(['impact', 'vulnerability', 'hateTypes']);
  });
});
