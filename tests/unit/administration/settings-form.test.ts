import { describe, expect, it } from 'vitest';
import { southDerbyshire } from '../../../src/council.ts';
import { changesFromForm, formFromCouncil, settingsErrors } from '../../../src/routes/admin/administration-settings-form.ts';
import { editableCouncilSchema, mergeDeep } from '../../../src/services/council-settings.ts';

/** What the settings page would show for these form values, through the real schema. */
function errorsFor(overrides: Record<string, string>) {
  const values = { ...formFromCouncil(southDerbyshire), ...overrides };
  const parsed = editableCouncilSchema.safeParse(mergeDeep(southDerbyshire, changesFromForm(values)));
  if (parsed.success) return [];
  return settingsErrors(parsed.error, values).summary.map((item) => `${item.href} ${item.text}`);
}

describe('the settings form', () => {
  it('covers every setting: the form of the defaults reads back as the defaults', () => {
    const values = formFromCouncil(southDerbyshire);
    expect(values.contactAddress).toBe('South Derbyshire District Council\nCivic Offices\nCivic Way\nSwadlincote\nDE11 0AH');
    expect(values.householdsVariantOn).toBe('no');
    // Built from the form alone (not merged onto anything), so a field the form forgot would be missing.
    expect(editableCouncilSchema.parse(changesFromForm(values))).toEqual(southDerbyshire);
  });

  it('reads lines, numbers and yes/no answers', () => {
    const changes = changesFromForm({
      ...formFromCouncil(southDerbyshire),
      partnerAgencies: ' Police \n\nHousing\n',
      minimumIncidents: '2',
      singleHateIncidentMeets: 'yes',
      householdsVariantOn: 'yes',
      householdsVariant: '5',
    });
    expect(changes.partnerAgencies).toEqual(['Police', 'Housing']);
    expect(changes.threshold).toMatchObject({ minimumIncidents: 2, singleHateIncidentMeets: true, householdsVariant: 5 });
  });

  it('says what is wrong with each field, in the order of the page', () => {
    expect(
      errorsFor({
        serviceName: '',
        contactEmail: 'nobody',
        pccAppealUrl: 'ftp://files.example.gov.uk',
        pccAppealWithinWorkingDays: '0',
        minimumIncidents: '4',
        windowMonths: '2.5',
        singleHateIncidentMeets: '',
        householdsVariantOn: '',
        retentionMonths: '-3',
      }),
    ).toEqual([
      '#serviceName Enter the service name',
      '#contactEmail Enter an email address in the correct format, like name@example.gov.uk',
      '#pccAppealUrl Enter a full web address starting with https://, like https://www.example.gov.uk/page',
      '#pccAppealWithinWorkingDays Working days to appeal must be 1 or more',
      '#minimumIncidents The minimum number of incidents must be 3 or fewer: the law lets a council set a lower number, never a higher one',
      '#windowMonths The period the incidents must fall in must be a whole number, like 5',
      '#singleHateIncidentMeets Select yes if a single hate incident meets the threshold',
      '#householdsVariantOn Select yes if reports from several households can meet the threshold',
      '#retentionMonths Months to keep closed cases must be 1 or more',
    ]);
  });

  it('asks for the number of households only when that rule is switched on', () => {
    expect(errorsFor({ householdsVariantOn: 'no', householdsVariant: '' })).toEqual([]);
    expect(errorsFor({ householdsVariantOn: 'yes', householdsVariant: '' })).toEqual(['#householdsVariant Enter the number of households']);
    expect(errorsFor({ householdsVariantOn: 'yes', householdsVariant: '1' })).toEqual([
      '#householdsVariant The number of households must be 2 or more',
    ]);
  });

  it('lets the minimum number of incidents go down to 1, and the window up to 6 months', () => {
    expect(errorsFor({ minimumIncidents: '1', windowMonths: '6' })).toEqual([]);
    expect(errorsFor({ minimumIncidents: '0' })).toEqual(['#minimumIncidents The minimum number of incidents must be 1 or more']);
    expect(errorsFor({ minimumIncidents: '' })).toEqual(['#minimumIncidents Select the minimum number of incidents']);
  });
});
