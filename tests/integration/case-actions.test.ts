import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addCalendarDays, formatLongDate, londonDate } from '../../src/domain/calendar-date.ts';
import { tableDate } from '../../src/services/case-view/format.ts';
import { addWorkingDays } from '../../src/domain/working-days.ts';
import { southDerbyshire } from '../../src/council.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp });
});
afterAll(async () => {
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
  smtp.messages.length = 0;
});
afterEach(async () => {
  // Let the worker send this test's emails so none arrive during the next test.
  await expect
    .poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status IN ('pending', 'sending')")).length, { timeout: 15_000 })
    .toBe(0);
});

const today = () => londonDate(new Date());
const pcc = southDerbyshire.pcc;

/** A resident applies through the real journey; returns the case reference. */
async function apply(options: { onBehalf?: boolean; incidents?: number } = {}): Promise<string> {
  const resident = visitor(portal.app);
  await fillApplication(resident, options);
  const { response } = await send(resident);
  expect(response.headers.location).toBe('/apply/confirmation');
  const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec((await resident.get('/apply/confirmation')).text)?.[0];
  if (!reference) throw new Error('No reference on the confirmation page');
  return reference;
}

async function signedInOfficer(role: 'officer' | 'manager' = 'officer'): Promise<{ v: Visitor; id: string }> {
  const officer = await createOfficer(portal, role);
  const v = visitor(portal.app);
  await signIn(v, officer.email);
  return { v, id: officer.id };
}

const actionUrl = (reference: string, slug: string) => `/admin/cases/${reference}/actions/${slug}`;

/** GET the action's form, POST it back with its CSRF token; expects the 303 to the case page. */
async function act(v: Visitor, reference: string, slug: string, fields: Record<string, string | string[]>, expectLocation?: string) {
  const response = await v.submit(actionUrl(reference, slug), fields);
  if (response.status !== 303) throw new Error(`${slug}: expected 303, got ${response.status}\n${response.text.slice(0, 3000)}`);
  expect(response.headers.location).toBe(expectLocation ?? `/admin/cases/${reference}?done=${slug}`);
  return response;
}

function dateFields(prefix: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(day)), [`${prefix}-month`]: String(Number(month)), [`${prefix}-year`]: year };
}

async function caseRow(reference: string) {
  const [row] = await query<{
    id: string;
    status: string;
    next_deadline_on: string | null;
    spoc: string | null;
    acknowledged: boolean;
    closure_reason: string | null;
  }>(
    `SELECT c.id, c.status, to_char(c.next_deadline_on, 'YYYY-MM-DD') AS next_deadline_on, o.name AS spoc,
            c.acknowledged_at IS NOT NULL AS acknowledged, c.closure_reason
     FROM "case" c LEFT JOIN officer o ON o.id = c.spoc_officer_id WHERE c.reference = $1`,
    [reference],
  );
  if (!row) throw new Error(`No case ${reference}`);
  return row;
}

async function statusChanges(reference: string) {
  const rows = await query<{ from_status: string | null; to_status: string }>(
    'SELECT s.from_status, s.to_status FROM status_change s JOIN "case" c ON c.id = s.case_id WHERE c.reference = $1 ORDER BY s.at, s.id',
    [reference],
  );
  return rows.map((row) => `${row.from_status ?? '-'}>${row.to_status}`);
}

async function officerAudit(reference: string) {
  const rows = await query<{ action: string }>(
    `SELECT a.action FROM audit_entry a JOIN "case" c ON c.id = a.case_id
     WHERE c.reference = $1 AND a.actor = 'officer' AND a.action NOT LIKE 'viewed%' ORDER BY a.at, a.id`,
    [reference],
  );
  return rows.map((row) => row.action);
}

/** The email of this kind that reached this address (waits for the worker). */
async function emailTo(address: string, subjectPart: string) {
  await expect.poll(() => smtp.to(address).some((mail) => (mail.subject ?? '').includes(subjectPart)), { timeout: 10_000 }).toBe(true);
  const mail = smtp.to(address).find((m) => (m.subject ?? '').includes(subjectPart));
  if (!mail) throw new Error(`No email "${subjectPart}" to ${address}`);
  return { subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' };
}

/** Takes a fresh case through to the outcome (used by the appeal-after-outcome test). */
async function toOutcome(v: Visitor, officerId: string, reference: string) {
  await act(v, reference, 'acknowledge', { spoc: officerId });
  await act(v, reference, 'decide-threshold', {
    outcome: 'met',
    ground: '',
    reason: 'Three related incidents were reported.',
    overrideReason: '',
  });
  await act(v, reference, 'schedule-review', {
    ...dateFields('meetingOn', addCalendarDays(today(), 7)),
    time: '10:00',
    agencies: [southDerbyshire.partnerAgencies[0] ?? ''],
    independentChair: '',
    attendance: 'not-attending',
    notInvitedReason: '',
  });
  await act(v, reference, 'hold-review', { ...dateFields('heldOn', today()), 'shared-0': 'Two call-outs', 'actions-0': 'Warning letter' });
  await act(v, reference, 'add-recommendation', {
    what: 'Install a noise monitor',
    agency: southDerbyshire.partnerAgencies[2] ?? '',
    ...dateFields('dueOn', addCalendarDays(today(), 30)),
  });
  await act(v, reference, 'record-victim-comments', { comments: 'Alex agrees with the plan.' });
  await act(v, reference, 'send-outcome', { summary: 'The agencies agreed a plan to stop the noise.' });
}

describe('an officer takes a case from received to closed', () => {
  it('runs every action with its status change, audit entry, deadline and email', async () => {
    const reference = await apply({ incidents: 3 });
    const { v, id: officerId } = await signedInOfficer();
    const manager = await createOfficer(portal, 'manager');
    const start = today();

    // Acknowledge: the SPoC is the acknowledging officer unless another is chosen.
    const ackPage = await v.get(actionUrl(reference, 'acknowledge'));
    expect(ackPage.status).toBe(200);
    expect(ackPage.text).toContain('Acknowledge the application');
    expect(ackPage.text).toContain(`<option value="${officerId}" selected>Officer Person</option>`);
    expect(ackPage.text).toContain('alex@example.test');
    await act(v, reference, 'acknowledge', { spoc: officerId });
    let row = await caseRow(reference);
    expect(row).toMatchObject({ status: 'acknowledged', spoc: 'Officer Person', acknowledged: true });
    expect(row.next_deadline_on).toBe(addWorkingDays(start, southDerbyshire.deadlines.thresholdDecisionWorkingDays));
    const ack = await emailTo('alex@example.test', 'your single point of contact');
    expect(ack.text).toContain('Officer Person is your single point of contact');
    expect(ack.text).toContain(formatLongDate(addWorkingDays(start, 10)));
    expect(ack.html).toContain('<strong>Officer Person</strong> is your single point of contact');

    // A different SPoC.
    await act(v, reference, 'assign-spoc', { spoc: manager.id });
    expect((await caseRow(reference)).spoc).toBe('Manager Person');

    // Information from a partner agency: the due date defaults to the configured working days.
    const agency = southDerbyshire.partnerAgencies[0] ?? '';
    const requestPage = await v.get(actionUrl(reference, 'request-information'));
    const due = addWorkingDays(start, southDerbyshire.deadlines.agencyInformationWorkingDays);
    expect(requestPage.text).toContain(`name="dueOn-day" type="text" inputmode="numeric" value="${Number(due.slice(8))}"`);
    await act(v, reference, 'request-information', { agency, asked: 'Call-outs to 12 Civic Way since May', ...dateFields('dueOn', due) });
    const [request] = await query<{ id: string; due_on: string }>(
      "SELECT id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM information_request",
    );
    expect(request?.due_on).toBe(due);
    const replyUrl = `/admin/cases/${reference}/information-requests/${request?.id}/reply`;
    expect((await v.get(actionUrl(reference, 'request-information'))).text).toContain(replyUrl);
    const reply = await v.submit(replyUrl, { reply: 'Four call-outs; one arrest.', ...dateFields('repliedOn', start) });
    expect(reply.headers.location).toBe(`/admin/cases/${reference}?done=information-reply`);

    // The threshold decision shows the stored advice.
    const decidePage = await v.get(actionUrl(reference, 'decide-threshold'));
    expect(decidePage.text).toContain('The rule’s advice: the threshold is met.');
    await act(v, reference, 'decide-threshold', {
      outcome: 'met',
      ground: '',
      reason: 'Three related incidents were reported in the last six months.',
      overrideReason: '',
    });
    row = await caseRow(reference);
    expect(row.status).toBe('threshold_met');
    expect(row.next_deadline_on).toBe(addWorkingDays(start, southDerbyshire.deadlines.reviewMeetingWorkingDays));
    const decision = await emailTo('alex@example.test', 'Our decision');
    expect(decision.text).toContain('It meets the threshold for a case review');
    expect(decision.text).toContain('Three related incidents were reported in the last six months.');
    expect(decision.text).toContain('Your single point of contact is Manager Person.');

    // The review meeting, with the victim attending online.
    const meetingOn = addCalendarDays(start, 14);
    await act(v, reference, 'schedule-review', {
      ...dateFields('meetingOn', meetingOn),
      time: '2:30pm',
      agencies: [agency, southDerbyshire.partnerAgencies[1] ?? ''],
      independentChair: 'Jo Chair, Derby Mediation',
      attendance: 'online',
      notInvitedReason: '',
    });
    row = await caseRow(reference);
    expect(row.status).toBe('review_scheduled');
    expect(row.next_deadline_on).toBe(meetingOn);
    const invitation = await emailTo('alex@example.test', 'meeting');
    expect(invitation.text).toContain(`The meeting is on ${formatLongDate(meetingOn)} at 2:30pm (UK time).`);
    expect(invitation.text).toContain('You told us you would like to attend online.');
    expect(invitation.text).toContain('Jo Chair, Derby Mediation');
    const [review] = await query<{ london: string }>(
      "SELECT to_char(scheduled_for AT TIME ZONE 'Europe/London', 'YYYY-MM-DD HH24:MI') AS london FROM review",
    );
    expect(review?.london).toBe(`${meetingOn} 14:30`);
    // The dashboard lists the meeting as coming up, with its date.
    const dashboard = await v.get('/admin');
    const upcoming = dashboard.text.split('<h2').find((part) => part.includes('Reviews in the next 14 days'));
    expect(upcoming).toContain('Reviews in the next 14 days (1)');
    expect(upcoming).toContain(reference);
    expect(upcoming).toContain(tableDate(meetingOn));

    // The meeting: each invited agency's part.
    const holdPage = await v.get(actionUrl(reference, 'hold-review'));
    expect(holdPage.text).toContain(`What ${agency} shared`);
    await act(v, reference, 'hold-review', {
      ...dateFields('heldOn', start),
      'shared-0': 'Four call-outs since May',
      'actions-0': 'Community protection warning',
      'shared-1': 'Tenancy warnings',
      'actions-1': '',
    });
    row = await caseRow(reference);
    expect(row.status).toBe('review_held');
    expect(row.next_deadline_on).toBe(addWorkingDays(start, southDerbyshire.deadlines.outcomeLetterWorkingDays));

    // The action plan: recommendations, one marked done.
    await act(v, reference, 'add-recommendation', {
      what: 'Fit a noise monitor in the flat',
      agency: southDerbyshire.partnerAgencies[2] ?? '',
      ...dateFields('dueOn', addCalendarDays(start, 30)),
    });
    await act(v, reference, 'add-recommendation', {
      what: 'Visit the neighbours together',
      agency,
      ...dateFields('dueOn', addCalendarDays(start, 20)),
    });
    const planPage = await v.get(actionUrl(reference, 'add-recommendation'));
    const [first] = await query<{ id: string }>("SELECT id FROM recommendation WHERE action = 'Visit the neighbours together'");
    const done = await v.agent
      .post(`/admin/cases/${reference}/recommendations/${first?.id}/done`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(planPage.text) });
    expect(done.status).toBe(303);
    expect(
      (await query<{ done: boolean }>("SELECT done FROM recommendation WHERE action = 'Visit the neighbours together'"))[0]?.done,
    ).toBe(true);

    // The victim is consulted on the plan before the outcome is sent.
    const blocked = await v.get(actionUrl(reference, 'send-outcome'));
    expect(blocked.status).toBe(409);
    expect(blocked.text).toContain('Record the victim’s comments on the draft action plan before you send the outcome.');
    await act(v, reference, 'record-victim-comments', { comments: 'Alex would like the monitor fitted first.' });
    await act(v, reference, 'send-outcome', { summary: 'The agencies agreed an action plan to stop the noise at night.' });
    row = await caseRow(reference);
    expect(row.status).toBe('outcome_sent');
    expect(row.next_deadline_on).toBeNull();
    const outcome = await emailTo('alex@example.test', 'The outcome');
    expect(outcome.text).toContain('The agencies agreed an action plan to stop the noise at night.');
    expect(outcome.text).toContain(
      `- Fit a noise monitor in the flat (who will do it: ${southDerbyshire.partnerAgencies[2]}; by when: ${formatLongDate(addCalendarDays(start, 30))})`,
    );
    expect(outcome.text).toContain(
      `You can ask ${pcc.name} to review the outcome of the review. The Crime and Policing Act 2026 gives you this right.`,
    );
    expect(outcome.text).toContain(pcc.appealUrl);
    expect(outcome.text).toContain(formatLongDate(addWorkingDays(start, pcc.appealWithinWorkingDays)));
    expect(outcome.html).toContain('<td class="govuk-table__cell">Fit a noise monitor in the flat</td>');

    // The printed outcome letter has the same words.
    const letter = await v.get(`/admin/cases/${reference}/letters/outcome`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain('Dear Alex Example,');
    expect(letter.text).toContain('12 Civic Way');
    expect(letter.text).toContain('The agencies agreed an action plan to stop the noise at night.');
    expect(letter.text).toContain('Fit a noise monitor in the flat');
    expect(letter.text).toContain(pcc.appealUrl);
    expect(letter.text).not.toContain('govuk-service-navigation');

    await act(v, reference, 'add-note', { text: 'Phoned Alex to explain the plan.' });
    expect(await query('SELECT 1 FROM note')).toHaveLength(1);

    await act(v, reference, 'close', { reason: 'The action plan is in place and the noise has stopped.' });
    row = await caseRow(reference);
    expect(row).toMatchObject({
      status: 'closed',
      next_deadline_on: null,
      closure_reason: 'The action plan is in place and the noise has stopped.',
    });
    const closure = await emailTo('alex@example.test', 'is closed');
    expect(closure.text).toContain('The action plan is in place and the noise has stopped.');

    expect(await statusChanges(reference)).toEqual([
      '->received',
      'received>acknowledged',
      'acknowledged>threshold_met',
      'threshold_met>review_scheduled',
      'review_scheduled>review_held',
      'review_held>outcome_sent',
      'outcome_sent>closed',
    ]);
    expect(await officerAudit(reference)).toEqual([
      'acknowledged application',
      'assigned single point of contact',
      'requested information',
      'recorded information reply',
      'decided threshold',
      'scheduled review',
      'recorded review held',
      'added recommendation',
      'added recommendation',
      'marked recommendation done',
      'recorded victim comments on action plan',
      'sent outcome',
      'added note',
      'closed case',
    ]);
    // The resident's own emails: acknowledgement on submission, then SPoC, decision, invitation, outcome, closure.
    await expect.poll(() => smtp.to('alex@example.test').length).toBe(6);

    // A closed case cannot be changed.
    const after = await v.get(actionUrl(reference, 'add-note'));
    expect(after.status).toBe(409);
    expect(after.text).toContain('You cannot add a note for a case that is Closed. A closed case cannot be changed.');
  });
});

describe('threshold decisions', () => {
  it('rejects on a ground, with the ground and reasons in the email and the printed letter', async () => {
    const reference = await apply({ onBehalf: true, incidents: 3 });
    const { v, id } = await signedInOfficer();
    await act(v, reference, 'acknowledge', { spoc: id }); // a decision needs the acknowledgement first

    // No ground chosen: 400 with the summary, the typed reason kept.
    const missing = await v.submit(actionUrl(reference, 'decide-threshold'), {
      outcome: 'rejected',
      ground: '',
      reason: 'The same complaint <again>',
      overrideReason: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<a href="#ground">Select the ground for rejecting the application</a>');
    expect(missing.text).toContain('The same complaint &lt;again&gt;</textarea>');

    // Decided straight from receipt: the decision also acknowledges.
    await act(v, reference, 'decide-threshold', {
      outcome: 'rejected',
      ground: 'vexatious',
      reason: 'This repeats the application decided in March, with no new incidents.',
      overrideReason: '',
    });
    const row = await caseRow(reference);
    expect(row).toMatchObject({ status: 'rejected', acknowledged: true, spoc: 'Officer Person', next_deadline_on: null });
    const [decision] = await query<{ decision: string; rejection_ground: string }>('SELECT decision, rejection_ground FROM "case"');
    expect(decision).toEqual({ decision: 'rejected', rejection_ground: 'vexatious' });

    for (const address of ['sam@example.test', 'alex@example.test']) {
      const mail = await emailTo(address, 'Our decision');
      expect(mail.text).toContain('We have rejected it because we consider it vexatious.');
      expect(mail.text).toContain('This repeats the application decided in March, with no new incidents.');
      expect(mail.text).toContain(`You can ask ${pcc.name} to review this decision.`);
    }
    expect((await emailTo('sam@example.test', 'Our decision')).text).toContain('on behalf of Alex Example');

    const letter = await v.get(`/admin/cases/${reference}/letters/decision`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain('Dear Sam Helper,');
    expect(letter.text).toContain('We have rejected it because we consider it <strong>vexatious</strong>.');
    expect(letter.text).toContain('This repeats the application decided in March, with no new incidents.');
    expect(letter.text).toContain(`<a class="govuk-link" href="${pcc.appealUrl}">`);
    expect(await statusChanges(reference)).toEqual(['->received', 'received>acknowledged', 'acknowledged>rejected']);
  });

  it('goes from threshold not met to an appeal the PCC sends back, then decides it met', async () => {
    const reference = await apply({ incidents: 2 });
    const { v, id } = await signedInOfficer();
    await act(v, reference, 'acknowledge', { spoc: id });

    const page = await v.get(actionUrl(reference, 'decide-threshold'));
    expect(page.text).toContain('The rule’s advice: the threshold is not met.');
    await act(v, reference, 'decide-threshold', {
      outcome: 'not-met',
      ground: '',
      reason: 'Only two incidents were reported in the last six months.',
      overrideReason: '',
    });
    expect((await caseRow(reference)).next_deadline_on).toBeNull();
    const notMet = await emailTo('alex@example.test', 'Our decision');
    expect(notMet.text).toContain('It does not meet the threshold for a case review.');
    expect(notMet.text).toContain('Only two incidents were reported in the last six months.');
    expect(notMet.text).toContain(`You can ask ${pcc.name} to review this decision. The Crime and Policing Act 2026 gives you this right.`);
    expect(notMet.text).toContain(
      `Ask them within ${pcc.appealWithinWorkingDays} working days, by ${formatLongDate(addWorkingDays(today(), pcc.appealWithinWorkingDays))}, at ${pcc.appealUrl}.`,
    );

    await act(v, reference, 'record-appeal', {
      ...dateFields('receivedOn', today()),
      about: 'threshold-decision',
      appellant: 'Alex Example',
    });
    expect(await caseRow(reference)).toMatchObject({ status: 'appeal_received', next_deadline_on: null });
    const appealAck = await emailTo('alex@example.test', 'Your appeal');
    expect(appealAck.text).toContain(`We have been told of the appeal to ${pcc.name} about our decision on the application.`);

    await act(v, reference, 'conclude-appeal', {
      result: 'The PCC asked the council to weigh the harm to the children.',
      upheld: 'yes',
      sentBack: 'yes',
    });
    expect(await caseRow(reference)).toMatchObject({
      status: 'acknowledged',
      next_deadline_on: addWorkingDays(today(), southDerbyshire.deadlines.thresholdDecisionWorkingDays),
    });

    // Met against the advice needs an override reason.
    const noOverride = await v.submit(actionUrl(reference, 'decide-threshold'), {
      outcome: 'met',
      ground: '',
      reason: 'The harm to the children is serious.',
      overrideReason: '',
    });
    expect(noOverride.status).toBe(400);
    expect(noOverride.text).toContain('<a href="#overrideReason">Enter why your decision differs from the threshold advice</a>');
    await act(v, reference, 'decide-threshold', {
      outcome: 'met',
      ground: '',
      reason: 'The harm to the children is serious.',
      overrideReason: 'Persistent behaviour and harm to children outweigh the count.',
    });
    const [row] = await query<{ status: string; override: string }>('SELECT status, decision_override_reason AS override FROM "case"');
    expect(row).toEqual({ status: 'threshold_met', override: 'Persistent behaviour and harm to children outweigh the count.' });
    const [appeal] = await query<{ upheld: boolean; sent_back: boolean; result: string }>('SELECT upheld, sent_back, result FROM appeal');
    expect(appeal).toEqual({ upheld: true, sent_back: true, result: 'The PCC asked the council to weigh the harm to the children.' });

    expect(await statusChanges(reference)).toEqual([
      '->received',
      'received>acknowledged',
      'acknowledged>threshold_not_met',
      'threshold_not_met>appeal_received',
      'appeal_received>appeal_concluded',
      'appeal_concluded>acknowledged',
      'acknowledged>threshold_met',
    ]);
    expect(await officerAudit(reference)).toEqual([
      'acknowledged application',
      'decided threshold',
      'recorded appeal',
      'concluded appeal',
      'decided threshold',
    ]);
  });
});

describe('an appeal after the outcome', () => {
  it('records the appeal and prints the appeal pack: application, chronology, letters, action plan', async () => {
    const reference = await apply({ incidents: 3 });
    const { v, id } = await signedInOfficer();
    await toOutcome(v, id, reference);
    await act(v, reference, 'record-appeal', { ...dateFields('receivedOn', today()), about: 'outcome', appellant: 'Alex Example' });
    expect((await caseRow(reference)).status).toBe('appeal_received');

    const pack = await v.get(`/admin/cases/${reference}/appeal-pack`);
    expect(pack.status).toBe(200);
    expect(pack.text).toContain(`Appeal pack: ${reference}`);
    // The application.
    expect(pack.text).toContain('We cannot sleep and the children are frightened.');
    expect(pack.text).toContain('Shouting and banging at night, time 1');
    // The chronology.
    expect(pack.text).toContain('Review held to Outcome sent');
    expect(pack.text).toContain('Outcome sent to Appeal received');
    // The letters and emails sent, and the action plan.
    expect(pack.text).toContain(`Our decision on your ASB Case Review application ${reference}`);
    expect(pack.text).toContain(`The outcome of your ASB Case Review ${reference}`);
    expect(pack.text).toContain(`/admin/cases/${reference}/letters/outcome`);
    expect(pack.text).toContain('Install a noise monitor');
    expect(pack.text).toContain('The agencies agreed a plan to stop the noise.');
    expect(pack.text).toContain('The outcome of the review');
    const [viewed] = await query<{ n: string }>("SELECT count(*) AS n FROM audit_entry WHERE action = 'viewed appeal pack'");
    expect(viewed?.n).toBe('1');
  });
});

describe('refusals and validation', () => {
  it('refuses an illegal move with the status machine’s message, and a zod error keeps the typed values', async () => {
    const reference = await apply({ incidents: 3 });
    const { v } = await signedInOfficer();

    const holdGet = await v.get(actionUrl(reference, 'hold-review'));
    expect(holdGet.status).toBe(409);
    expect(holdGet.text).toContain('You cannot hold the review for a case that is Received.');
    const page = await v.get(actionUrl(reference, 'add-note'));
    const holdPost = await v.agent
      .post(actionUrl(reference, 'hold-review'))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), ...dateFields('heldOn', today()) });
    expect(holdPost.status).toBe(409);
    expect(holdPost.text).toContain('You cannot hold the review for a case that is Received.');
    expect((await caseRow(reference)).status).toBe('received');

    const unknown = await v.get(actionUrl('ASB-2026-ZZZZZZ', 'acknowledge'));
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('There is no case with the reference ASB-2026-ZZZZZZ.');
    expect((await v.get(`/admin/cases/${reference}/letters/nonsense`)).status).toBe(404);
    const noLetter = await v.get(`/admin/cases/${reference}/letters/decision`);
    expect(noLetter.status).toBe(409);
    expect(noLetter.text).toContain('There is no decision letter yet: decide the threshold first.');

    const invalid = await v.submit(actionUrl(reference, 'request-information'), {
      agency: '',
      asked: 'Everything about "12 Civic Way"',
      ...dateFields('dueOn', '2020-01-31'),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(invalid.text).toContain('<a href="#agency">Select the agency you are asking</a>');
    expect(invalid.text).toContain('<a href="#dueOn-day">The date the reply is due must be today or in the future</a>');
    expect(invalid.text).toContain('Everything about &#34;12 Civic Way&#34;</textarea>');
    expect(invalid.text).toContain('<title>Error: Ask a partner agency for information');

    const scheduleOnReceived = await v.get(actionUrl(reference, 'schedule-review'));
    expect(scheduleOnReceived.status).toBe(409);
    expect(scheduleOnReceived.text).toContain(
      'You cannot schedule the review for a case that is Received. From here you can acknowledge the application or withdraw the case.',
    );

    // Without the form's token the POST is refused.
    const forged = await v.agent.post(actionUrl(reference, 'add-note')).type('form').send({ text: 'x' });
    expect(forged.status).toBe(403);
    expect(await query('SELECT 1 FROM note')).toHaveLength(0);
  });

  it('lets only one of two simultaneous acknowledgements through', async () => {
    const reference = await apply({ incidents: 3 });
    const { v, id } = await signedInOfficer();
    const page = await v.get(actionUrl(reference, 'acknowledge'));
    const token = csrfTokenFrom(page.text);
    const post = () => v.agent.post(actionUrl(reference, 'acknowledge')).type('form').send({ _csrf: token, spoc: id });
    const results = await Promise.all([post(), post()]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 409]);
    expect(results.find((r) => r.status === 409)?.text).toContain(
      'You cannot acknowledge the application for a case that is Acknowledged.',
    );
    expect(await statusChanges(reference)).toEqual(['->received', 'received>acknowledged']);
  });

  it('offers the acknowledgement letter when the applicant has no email', async () => {
    const reference = await apply({ incidents: 3 });
    await query("UPDATE person SET email = NULL WHERE role = 'victim'");
    const { v, id } = await signedInOfficer();
    const page = await v.get(actionUrl(reference, 'acknowledge'));
    expect(page.text).toContain('Alex Example has no email address.');
    expect(page.text).toContain(`/admin/cases/${reference}/letters/acknowledgement`);
    await act(v, reference, 'acknowledge', { spoc: id }, `/admin/cases/${reference}?done=acknowledge&letter=acknowledgement`);
    const letter = await v.get(`/admin/cases/${reference}/letters/acknowledgement`);
    expect(letter.status).toBe(200);
    expect(letter.text).toContain('<strong>Officer Person</strong> is your single point of contact.');
    expect(letter.text).toContain('12 Civic Way');
    expect(letter.text).toContain(southDerbyshire.contact.phone);
    expect(await query("SELECT 1 FROM outbox_message WHERE kind = 'case-acknowledgement'")).toHaveLength(0);
  });
});

describe('rescheduling, reopening and withdrawing', () => {
  it('records the chair’s reason when the victim is not invited, sends a new invitation on rescheduling, then withdraws', async () => {
    const reference = await apply({ incidents: 3 });
    const { v, id } = await signedInOfficer();
    await act(v, reference, 'acknowledge', { spoc: id });
    await act(v, reference, 'decide-threshold', { outcome: 'met', ground: '', reason: 'Three incidents.', overrideReason: '' });
    const agency = southDerbyshire.partnerAgencies[1] ?? '';
    const meeting = {
      ...dateFields('meetingOn', addCalendarDays(today(), 10)),
      time: '9:15',
      agencies: [agency],
      independentChair: 'Pat Independent',
      attendance: 'not-invited',
      notInvitedReason: '',
    };
    const noReason = await v.submit(actionUrl(reference, 'schedule-review'), meeting);
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('<a href="#notInvitedReason">Enter the chair’s reason for not inviting the victim</a>');
    expect(noReason.text).toContain('value="Pat Independent"');
    await act(v, reference, 'schedule-review', { ...meeting, notInvitedReason: 'A joint police operation is discussed.' });
    const [review] = await query<{ victim_attendance: string; not_invited_reason: string }>(
      'SELECT victim_attendance, not_invited_reason FROM review',
    );
    expect(review).toEqual({ victim_attendance: 'not-invited', not_invited_reason: 'A joint police operation is discussed.' });
    expect(await query("SELECT 1 FROM outbox_message WHERE kind = 'review-invitation'")).toHaveLength(0);

    // Rescheduling: the same meeting moves, and the victim (now invited) hears of the new date.
    const page = await v.get(actionUrl(reference, 'schedule-review'));
    expect(page.text).toContain('Change the review meeting');
    expect(page.text).toContain('value="09:15"');
    const newDay = addCalendarDays(today(), 12);
    await act(v, reference, 'schedule-review', { ...meeting, ...dateFields('meetingOn', newDay), time: '18:00', attendance: 'in-person' });
    expect(await query('SELECT 1 FROM review')).toHaveLength(1);
    const invitation = await emailTo('alex@example.test', 'meeting');
    expect(invitation.text).toContain('The meeting has moved: this replaces the date we gave you before.');
    expect(invitation.text).toContain(`The meeting is on ${formatLongDate(newDay)} at 6pm (UK time).`);
    expect(invitation.text).toContain('You told us you would like to attend in person.');
    expect((await caseRow(reference)).next_deadline_on).toBe(newDay);

    await act(v, reference, 'withdraw', { reason: 'Alex has moved house and asked us to stop.' });
    expect(await caseRow(reference)).toMatchObject({
      status: 'withdrawn',
      next_deadline_on: null,
      closure_reason: 'Alex has moved house and asked us to stop.',
    });
    expect(await statusChanges(reference)).toEqual([
      '->received',
      'received>acknowledged',
      'acknowledged>threshold_met',
      'threshold_met>review_scheduled',
      'review_scheduled>review_scheduled',
      'review_scheduled>withdrawn',
    ]);
    const refused = await v.get(actionUrl(reference, 'close'));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('You cannot close a case that is Withdrawn. A withdrawn case cannot be changed.');
  });

  it('reopens a case by hand after an appeal that was not sent back', async () => {
    const reference = await apply({ incidents: 2 });
    const { v, id } = await signedInOfficer();
    await act(v, reference, 'acknowledge', { spoc: id });
    await act(v, reference, 'decide-threshold', { outcome: 'not-met', ground: '', reason: 'Two incidents.', overrideReason: '' });
    await act(v, reference, 'record-appeal', {
      ...dateFields('receivedOn', today()),
      about: 'threshold-decision',
      appellant: 'Alex Example',
    });
    await act(v, reference, 'conclude-appeal', { result: 'Not upheld.', upheld: 'no', sentBack: 'no' });
    expect((await caseRow(reference)).status).toBe('appeal_concluded');
    await act(v, reference, 'reopen', { reason: 'New incidents were reported after the appeal.' });
    expect(await caseRow(reference)).toMatchObject({
      status: 'acknowledged',
      next_deadline_on: addWorkingDays(today(), southDerbyshire.deadlines.thresholdDecisionWorkingDays),
    });
    expect((await statusChanges(reference)).slice(-2)).toEqual(['appeal_received>appeal_concluded', 'appeal_concluded>acknowledged']);
  });
});
