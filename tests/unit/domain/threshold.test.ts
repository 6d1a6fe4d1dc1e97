import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assessThreshold,
  defaultThresholdPolicy,
  windowPhrase,
  type IncidentForThreshold,
  type ThresholdAdvice,
  type ThresholdInput,
  type ThresholdPolicy,
} from '../../../src/domain/threshold.ts';

// The application date used throughout unless a case says otherwise: the six-month window
// then starts on 10 March 2026 (inside) and 9 March 2026 is outside.
const applicationDate = '2026-09-10';

let descriptionCounter = 0;
/** A reported, in-window incident with a description of its own; override what a case is about. */
function incident(overrides: Partial<IncidentForThreshold> = {}): IncidentForThreshold {
  descriptionCounter += 1;
  return {
    occurredOn: '2026-08-01',
    occurredOnApproximate: false,
    reportedTo: ['council'],
    reportedOn: '2026-08-02',
    description: `Shouting and banging at night, occasion ${descriptionCounter}`,
    location: 'Outside 12 Elm Road',
    ...overrides,
  };
}

function input(incidents: IncidentForThreshold[], overrides: Partial<ThresholdInput> = {}): ThresholdInput {
  return {
    applicationDate,
    incidents,
    incidentsRelated: 'yes',
    hateMotivated: 'no',
    householdsReporting: null,
    ...overrides,
  };
}

function policy(overrides: Partial<ThresholdPolicy> = {}): ThresholdPolicy {
  return { ...defaultThresholdPolicy, ...overrides };
}

interface Case {
  name: string;
  input: ThresholdInput;
  policy?: ThresholdPolicy;
  expected: ThresholdAdvice;
}

const cases: Case[] = [
  {
    name: 'exactly three incidents reported in the window meets it',
    input: input([
      incident({ occurredOn: '2026-07-31', reportedOn: '2026-08-01' }),
      incident({ occurredOn: '2026-08-14', reportedOn: '2026-08-15' }),
      incident({ occurredOn: '2026-08-31', reportedOn: '2026-09-01' }),
    ]),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'two incidents is fewer than three',
    input: input([incident(), incident()]),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'one incident uses "was"',
    input: input([incident()]),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report on the first day of the window (six months before) is counted',
    input: input([
      incident(),
      incident(),
      incident({ occurredOn: '2026-03-09', reportedOn: '2026-03-10' }),
    ]),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report the day before the window starts is not counted',
    input: input([
      incident(),
      incident(),
      incident({ occurredOn: '2026-03-08', reportedOn: '2026-03-09' }),
    ]),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 3 was reported on 9 March 2026, before the last six months (which started on 10 March 2026), so it is not counted.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report on the application date itself is counted',
    input: input([incident(), incident(), incident({ occurredOn: '2026-09-10', reportedOn: '2026-09-10' })]),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'an application on 31 August has a window from 28 February (month-end clamp)',
    input: input(
      [
        incident({ occurredOn: '2026-02-27', reportedOn: '2026-02-28' }),
        incident({ occurredOn: '2026-02-26', reportedOn: '2026-02-27' }),
        incident({ occurredOn: '2026-08-30', reportedOn: '2026-08-31' }),
        incident({ occurredOn: '2026-05-01', reportedOn: '2026-05-02' }),
      ],
      { applicationDate: '2026-08-31' },
    ),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 2 was reported on 27 February 2026, before the last six months (which started on 28 February 2026), so it is not counted.',
      ],
      rule: 'count',
      windowStart: '2026-02-28',
    },
  },
  {
    name: 'in a leap year the 31 August window starts on 29 February',
    input: input([incident({ occurredOn: '2028-02-28', reportedOn: '2028-02-29' })], {
      applicationDate: '2028-08-31',
    }),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'none',
      windowStart: '2028-02-29',
    },
  },
  {
    name: 'an incident not reported to anyone is flagged and not counted',
    input: input([
      incident(),
      incident(),
      incident(),
      incident({ reportedTo: [], reportedOn: null }),
    ]),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 4 has not been reported to the council, the police or a landlord, so it is not counted.',
      ],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'incidents the applicant says are not related do not meet it',
    input: input([incident(), incident(), incident()], { incidentsRelated: 'no' }),
    expected: {
      met: false,
      countedIncidents: 0,
      required: 3,
      reasons: [
        'You told us the incidents are not related. The threshold needs related incidents (the same people, place or problem).',
      ],
      flags: ['If the incidents are in fact related, 3 of them would count towards the threshold; 3 are needed.'],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'not sure whether related: counted, with a flag for the officer',
    input: input([incident(), incident(), incident()], { incidentsRelated: 'not-sure' }),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: ['The applicant is not sure the incidents are related: the officer should check.'],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'one incident reported to two agencies counts once',
    input: input([incident({ reportedTo: ['council', 'police'] }), incident({ reportedTo: ['landlord'] })]),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'the same incident listed twice (spacing and case differ) counts once',
    input: input([
      incident({
        occurredOn: '2026-08-01',
        description: 'Loud music  from flat 4',
        location: 'Flat 4, Elm Road',
        reportedTo: ['council'],
      }),
      incident(),
      incident({
        occurredOn: '2026-08-01',
        description: ' loud MUSIC from Flat 4 ',
        location: 'flat 4,   elm road',
        reportedTo: ['police'],
      }),
    ]),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 3 looks like the same incident as incident 1 (same date, description and place), so it is only counted once.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'the same description on different days is two incidents',
    input: input([
      incident({ occurredOn: '2026-08-01', reportedOn: '2026-08-04', description: 'Loud music from flat 4' }),
      incident({ occurredOn: '2026-08-02', reportedOn: '2026-08-04', description: 'Loud music from flat 4' }),
      incident({ occurredOn: '2026-08-03', reportedOn: '2026-08-04', description: 'Loud music from flat 4' }),
    ]),
    expected: {
      met: true,
      countedIncidents: 3,
      required: 3,
      reasons: ['3 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a duplicate listing counts when the first listing was not reported',
    input: input([
      incident({ description: 'Car set alight', reportedTo: [], reportedOn: null }),
      incident({ description: 'Car set alight', reportedTo: ['police'], reportedOn: '2026-08-02' }),
    ]),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 1 has not been reported to the council, the police or a landlord, so it is not counted.',
        'Incident 2 looks like the same incident as incident 1 (same date, description and place), so it is only counted once.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report more than a month after the incident is flagged but still counted',
    input: input([
      incident(),
      incident({ occurredOn: '2026-03-03', reportedOn: '2026-04-20' }),
      incident({ occurredOn: '2026-03-03', reportedOn: '2026-04-03', description: 'Exactly one month later' }),
      incident({ occurredOn: '2026-05-10', occurredOnApproximate: true, reportedOn: '2026-06-11' }),
    ]),
    expected: {
      met: true,
      countedIncidents: 4,
      required: 3,
      reasons: ['4 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 2 was reported more than 1 month after it happened (happened 3 March 2026, reported 20 April 2026).',
        'Incident 4 was reported more than 1 month after it happened (happened about 10 May 2026, reported 11 June 2026).',
      ],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report dated after the application is flagged and not counted',
    input: input([incident(), incident(), incident({ occurredOn: '2026-09-09', reportedOn: '2026-09-11' })]),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 3 has a report date (11 September 2026) after the application date (10 September 2026), so it is not counted. Check the dates.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a report dated before the incident happened is counted, with a check for the officer',
    input: input([incident({ occurredOn: '2026-08-03', reportedOn: '2026-08-02' })]),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 1 has a report date before the date it happened (happened 3 August 2026, reported 2 August 2026). Check the dates.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'reported to an agency but with no report date: flagged, not counted',
    input: input([incident({ reportedOn: null }), incident()]),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: ['Incident 1 does not say when it was reported, so it is not counted.'],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'reported only to another organisation: counted, with a check for the officer',
    input: input([incident({ reportedTo: ['other'] })]),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 1 was reported only to another organisation: check it is one that counts for the threshold.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'no incidents at all',
    input: input([]),
    expected: {
      met: false,
      countedIncidents: 0,
      required: 3,
      reasons: [
        'You have not told us about any incidents. The threshold needs 3 incidents reported in the last six months.',
      ],
      flags: [],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'none of the incidents were reported',
    input: input([incident({ reportedTo: [], reportedOn: null })]),
    expected: {
      met: false,
      countedIncidents: 0,
      required: 3,
      reasons: ['None of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Incident 1 has not been reported to the council, the police or a landlord, so it is not counted.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a council that needs only 2 incidents',
    input: input([incident(), incident()]),
    policy: policy({ minimumIncidents: 2 }),
    expected: {
      met: true,
      countedIncidents: 2,
      required: 2,
      reasons: ['2 of your incidents were reported in the last six months; 2 are needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a council that needs 1 incident',
    input: input([incident()]),
    policy: policy({ minimumIncidents: 1 }),
    expected: {
      met: true,
      countedIncidents: 1,
      required: 1,
      reasons: ['1 of your incidents was reported in the last six months; 1 is needed.'],
      flags: [],
      rule: 'count',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'a three-month window',
    input: input([incident({ occurredOn: '2026-06-09', reportedOn: '2026-06-10' }), incident({ reportedOn: '2026-06-09', occurredOn: '2026-06-08' })]),
    policy: policy({ windowMonths: 3 }),
    expected: {
      met: false,
      countedIncidents: 1,
      required: 3,
      reasons: ['1 of your incidents was reported in the last three months; 3 are needed.'],
      flags: [
        'Incident 2 was reported on 9 June 2026, before the last three months (which started on 10 June 2026), so it is not counted.',
      ],
      rule: 'none',
      windowStart: '2026-06-10',
    },
  },
  {
    name: 'a setting that is not valid falls back to the default, with a flag',
    input: input([incident(), incident()]),
    policy: policy({ minimumIncidents: 0 }),
    expected: {
      met: false,
      countedIncidents: 2,
      required: 3,
      reasons: ['2 of your incidents were reported in the last six months; 3 are needed.'],
      flags: [
        'Some of the threshold settings are not valid, so standard settings were used instead. Ask an administrator to check them.',
      ],
      rule: 'none',
      windowStart: '2026-03-10',
    },
  },
  {
    name: 'an application date that cannot be read',
    input: input([incident()], { applicationDate: '10/09/2026' }),
    expected: {
      met: false,
      countedIncidents: 0,
      required: 3,
      reasons: ['We could not read the date of the application, so the threshold could not be checked.'],
      flags: [],
      rule: 'none',
      windowStart: '10/09/2026',
    },
  },
];

describe('assessThreshold', () => {
  it.each(cases)('$name', ({ input: given, policy: rules, expected }) => {
    expect(assessThreshold(given, rules ?? defaultThresholdPolicy)).toEqual(expected);
  });

  it('uses the default policy when none is given', () => {
    expect(assessThreshold(input([incident(), incident(), incident()])).met).toBe(true);
  });

  it('has the published default policy', () => {
    expect(defaultThresholdPolicy).toEqual({
      minimumIncidents: 3,
      windowMonths: 6,
      lateReportMonths: 1,
      singleHateIncidentMeets: false,
      householdsVariant: null,
    });
  });
});

describe('assessThreshold local variants', () => {
  const hateReason =
    "You told us the behaviour was motivated by hate. Under this council's rules, one hate-motivated incident reported in the last six months meets the threshold.";
  const householdsReason =
    "5 separate households reported related incidents. Under this council's rules, reports from 5 or more households meet the threshold.";
  const oneCounted = '1 of your incidents was reported in the last six months; 3 are needed.';

  it.each([
    // [name, hateMotivated, singleHateIncidentMeets, incidents reported, met, rule, reasons]
    ['hate variant on, hate-motivated, one incident', 'yes', true, 1, true, 'hate-incident', [oneCounted, hateReason]],
    ['hate variant off, hate-motivated, one incident', 'yes', false, 1, false, 'none', [oneCounted]],
    ['hate variant on, not hate-motivated', 'no', true, 1, false, 'none', [oneCounted]],
    ['hate variant on, hate-motivated, but nothing reported', 'yes', true, 0, false, 'none', [
      'None of your incidents were reported in the last six months; 3 are needed.',
    ]],
    ['hate variant on, three incidents: the count rule meets it first', 'yes', true, 3, true, 'count', [
      '3 of your incidents were reported in the last six months; 3 are needed.',
    ]],
  ] as const)('%s', (_name, hateMotivated, singleHateIncidentMeets, reported, met, rule, reasons) => {
    const incidents = Array.from({ length: Math.max(reported, 1) }, (_, index) =>
      index < reported ? incident() : incident({ reportedTo: [], reportedOn: null }),
    );
    const advice = assessThreshold(
      input(incidents, { hateMotivated }),
      policy({ singleHateIncidentMeets }),
    );
    expect({ met: advice.met, rule: advice.rule, reasons: advice.reasons }).toEqual({
      met,
      rule,
      reasons,
    });
  });

  it('hate variant on and applicant not sure: not met, with a flag', () => {
    const advice = assessThreshold(
      input([incident()], { hateMotivated: 'not-sure' }),
      policy({ singleHateIncidentMeets: true }),
    );
    expect(advice.met).toBe(false);
    expect(advice.flags).toEqual([
      'The applicant is not sure the behaviour was motivated by hate: the officer should check, because one hate-motivated incident meets the threshold here.',
    ]);
  });

  it.each([
    // [name, householdsVariant, householdsReporting, incidents reported, met, rule, reasons]
    ['households variant 5, five households', 5, 5, 1, true, 'households', [oneCounted, householdsReason]],
    ['households variant 5, six households', 5, 6, 1, true, 'households', [
      oneCounted,
      "6 separate households reported related incidents. Under this council's rules, reports from 5 or more households meet the threshold.",
    ]],
    ['households variant 5, four households', 5, 4, 1, false, 'none', [oneCounted]],
    ['households variant 5, number of households unknown', 5, null, 1, false, 'none', [oneCounted]],
    ['households variant off, six households', null, 6, 1, false, 'none', [oneCounted]],
    ['households variant 5, five households, nothing reported', 5, 5, 0, false, 'none', [
      'None of your incidents were reported in the last six months; 3 are needed.',
    ]],
  ] as const)('%s', (_name, householdsVariant, householdsReporting, reported, met, rule, reasons) => {
    const incidents = Array.from({ length: Math.max(reported, 1) }, (_, index) =>
      index < reported ? incident() : incident({ reportedTo: [], reportedOn: null }),
    );
    const advice = assessThreshold(input(incidents, { householdsReporting }), policy({ householdsVariant }));
    expect({ met: advice.met, rule: advice.rule, reasons: advice.reasons }).toEqual({
      met,
      rule,
      reasons,
    });
  });

  it('hate variant is checked before the households variant', () => {
    const advice = assessThreshold(
      input([incident()], { hateMotivated: 'yes', householdsReporting: 9 }),
      policy({ singleHateIncidentMeets: true, householdsVariant: 5 }),
    );
    expect(advice.rule).toBe('hate-incident');
  });

  it('variants do not apply to incidents the applicant says are unrelated', () => {
    const advice = assessThreshold(
      input([incident()], { incidentsRelated: 'no', hateMotivated: 'yes', householdsReporting: 9 }),
      policy({ singleHateIncidentMeets: true, householdsVariant: 5 }),
    );
    expect(advice.met).toBe(false);
    expect(advice.rule).toBe('none');
  });
});

describe('windowPhrase', () => {
  it.each([
    [1, 'month'],
    [2, 'two months'],
    [6, 'six months'],
    [12, 'twelve months'],
    [13, '13 months'],
  ])('%d -> %s', (months, expected) => {
    expect(windowPhrase(months)).toBe(expected);
  });
});

describe('assessThreshold properties', () => {
  const date = fc.oneof(
    fc
      .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc.constantFrom('', 'not a date', '2026-02-30'),
  );
  const agencies = fc.subarray(['council', 'police', 'landlord', 'other'] as const).map((list) => [...list]);
  const anyIncident: fc.Arbitrary<IncidentForThreshold> = fc.record({
    occurredOn: date,
    occurredOnApproximate: fc.boolean(),
    reportedTo: agencies,
    reportedOn: fc.option(date, { nil: null }),
    description: fc.constantFrom('Noise', ' noise ', 'Graffiti', ''),
    location: fc.constantFrom('Elm Road', 'elm road', ''),
  });
  const anyInput: fc.Arbitrary<ThresholdInput> = fc.record({
    applicationDate: date,
    incidents: fc.array(anyIncident, { maxLength: 8 }),
    incidentsRelated: fc.constantFrom('yes', 'no', 'not-sure'),
    hateMotivated: fc.constantFrom('yes', 'no', 'not-sure'),
    householdsReporting: fc.option(fc.integer({ min: -2, max: 10 }), { nil: null }),
  });
  const anyPolicy: fc.Arbitrary<ThresholdPolicy> = fc.record({
    minimumIncidents: fc.integer({ min: -1, max: 5 }),
    windowMonths: fc.integer({ min: 0, max: 13 }),
    lateReportMonths: fc.integer({ min: -1, max: 3 }),
    singleHateIncidentMeets: fc.boolean(),
    householdsVariant: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  });

  it('never throws, never counts more incidents than listed, and met === (rule !== "none")', () => {
    fc.assert(
      fc.property(anyInput, anyPolicy, (given, rules) => {
        const advice = assessThreshold(given, rules);
        expect(advice.countedIncidents).toBeGreaterThanOrEqual(0);
        expect(advice.countedIncidents).toBeLessThanOrEqual(given.incidents.length);
        expect(advice.met).toBe(advice.rule !== 'none');
        expect(advice.reasons.length).toBeGreaterThan(0);
        if (advice.met) expect(advice.countedIncidents).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
