import { describe, expect, it } from 'vitest';
import {
  eligibilityOutcome,
  incidentBandOptions,
  type EligibilityOutcome,
  type IncidentBand,
  type YesNo,
} from '../../../src/domain/eligibility.ts';

describe('eligibilityOutcome', () => {
  // Every combination, written out by hand: [reported, incidents, aboutStaff, expected].
  const cases: [YesNo, IncidentBand, YesNo, EligibilityOutcome][] = [
    ['yes', 'none', 'yes', 'complain'],
    ['yes', 'below', 'yes', 'complain'],
    ['yes', 'meets', 'yes', 'complain'],
    ['no', 'none', 'yes', 'complain'],
    ['no', 'below', 'yes', 'complain'],
    ['no', 'meets', 'yes', 'complain'],
    ['no', 'none', 'no', 'report-first'],
    ['no', 'below', 'no', 'report-first'],
    ['no', 'meets', 'no', 'report-first'],
    ['yes', 'none', 'no', 'apply-may-not-meet'],
    ['yes', 'below', 'no', 'apply-may-not-meet'],
    ['yes', 'meets', 'no', 'apply'],
  ];

  it('covers all 12 combinations once', () => {
    expect(new Set(cases.map(([r, i, s]) => `${r}/${i}/${s}`)).size).toBe(12);
  });

  it.each(cases)('reported %s, incidents %s, about staff %s -> %s', (reported, incidents, aboutStaff, expected) => {
    expect(eligibilityOutcome({ reported, incidents, aboutStaff })).toBe(expected);
  });
});

describe('incidentBandOptions', () => {
  it.each([
    [3, ['None', '1 or 2', '3 or more']],
    [2, ['None', '1', '2 or more']],
    [1, ['None', '1 or more']],
    [5, ['None', '1 to 4', '5 or more']],
  ])('minimum %i -> %j', (minimum, expected) => {
    expect(incidentBandOptions(minimum).map((option) => option.text)).toEqual(expected);
  });

  it('uses the values none, below and meets', () => {
    expect(incidentBandOptions(3).map((option) => option.value)).toEqual(['none', 'below', 'meets']);
    expect(incidentBandOptions(1).map((option) => option.value)).toEqual(['none', 'meets']);
  });

  it('falls back to three for a nonsense minimum', () => {
    expect(incidentBandOptions(0).map((option) => option.text)).toEqual(['None', '1 or 2', '3 or more']);
  });
});
