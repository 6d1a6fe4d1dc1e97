import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import { addWorkingDays } from '../../src/domain/working-days.ts';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(() => truncateAll());

describe('an officer entering a paper application (assisted digital)', () => {
  it('goes through the same pages and rules, records the channel, and counts deadlines from the day it arrived', async () => {
    const officer = await createOfficer(portal, 'officer');
    const v = visitor(portal.app);
    await signIn(v, officer.email);

    // Not reachable before saying how the application arrived.
    expect((await v.get('/admin/paper-applications/victim-type')).headers.location).toBe('/admin/paper-applications');

    const arrived = addCalendarDays(londonDate(new Date()), -3);
    const [year, month, day] = arrived.split('-');
    const empty = await v.submit('/admin/paper-applications', { channel: '', 'receivedOn-day': '', 'receivedOn-month': '', 'receivedOn-year': '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Select how the application arrived');
    expect(empty.text).toContain('Enter date it arrived');

    const started = await v.submit('/admin/paper-applications', {
      channel: 'paper',
      'receivedOn-day': String(Number(day)),
      'receivedOn-month': String(Number(month)),
      'receivedOn-year': year ?? '',
    });
    expect(started.headers.location).toBe('/admin/paper-applications/who-is-applying');

    await fillApplication(v, { base: '/admin/paper-applications' });
    const check = await v.get('/admin/paper-applications/check-answers');
    expect(check.text).toContain('Create the case');
    expect(check.text).not.toContain('Save and come back later');
    // The same rules: a bad postcode is refused here too.
    const bad = await v.submit('/admin/paper-applications/victim-details', { fullName: 'A', addressLine1: '1', town: 'T', postcode: '123' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter a real postcode');

    const { response } = await send(v, '/admin/paper-applications');
    const [row] = await query<{ reference: string; channel: string; received_on: string; due: string }>(
      `SELECT reference, channel, to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS received_on, to_char(acknowledgement_due_on, 'YYYY-MM-DD') AS due FROM "case"`,
    );
    expect(response.headers.location).toBe(`/admin/cases/${row?.reference}`);
    expect(row).toMatchObject({ channel: 'paper', received_on: arrived, due: addWorkingDays(arrived, 5) });
    const audit = await query<{ actor: string; officer_id: string; action: string }>('SELECT actor, officer_id, action FROM audit_entry WHERE case_id IS NOT NULL');
    expect(audit).toEqual([{ actor: 'officer', officer_id: officer.id, action: 'paper application entered by an officer' }]);

    // The resident's own form in the same browser is untouched by the officer's entry.
    expect((await v.get('/apply/victim-type')).headers.location).toBe('/apply/who-is-applying');
  });

  it('is for signed-in officers only', async () => {
    const response = await visitor(portal.app).get('/admin/paper-applications');
    expect(response.headers.location).toBe('/admin/sign-in');
  });
});
