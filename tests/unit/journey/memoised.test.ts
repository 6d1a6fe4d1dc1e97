import { describe, expect, it } from 'vitest';
import { memoised } from '../../../src/journey/memoised.ts';
import { victimDetailsSchema, wordingFor } from '../../../src/journey/schemas.ts';

describe('schemas built once per set of arguments', () => {
  it('builds again only when an argument differs', () => {
    let builds = 0;
    const schemaFor = memoised((who: { self: boolean }, today: string) => {
      builds += 1;
      return { who, today };
    });
    const first = schemaFor({ self: true }, '2026-12-02');
    expect(schemaFor({ self: true }, '2026-12-02')).toBe(first);
    expect(schemaFor({ self: false }, '2026-12-02')).not.toBe(first);
    expect(schemaFor({ self: true }, '2026-12-03')).not.toBe(first);
    expect(builds).toBe(3);
  });

  it('gives the journey the same schema for the same wording, victim type and day, and the rules still apply', () => {
    const a = victimDetailsSchema(wordingFor('self'), 'person', '2026-12-02');
    expect(victimDetailsSchema(wordingFor('self'), 'person', '2026-12-02')).toBe(a);
    expect(victimDetailsSchema(wordingFor('on-behalf'), 'person', '2026-12-02')).not.toBe(a);
    const answers = {
      fullName: 'Alex Example',
      organisationName: '',
      addressLine1: '1 Road',
      addressLine2: '',
      town: 'Town',
      postcode: 'DE11 0AH',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '12',
      'dateOfBirth-year': '2026',
    };
    expect(a.safeParse(answers).success).toBe(true);
    // The day is part of the key: a date of birth after "today" is still refused.
    expect(a.safeParse({ ...answers, 'dateOfBirth-day': '3' }).error?.issues.map((issue) => issue.message)).toEqual([
      'Date of birth must be in the past',
    ]);
  });
});
