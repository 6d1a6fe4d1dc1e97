import request, { type Response } from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { southDerbyshire } from '../../src/council.ts';
import { addCalendarDays, formatLongDate, londonDate } from '../../src/domain/calendar-date.ts';
import { londonInstant } from '../../src/domain/london-time.ts';
import { declarationSchema } from '../../src/journey/schemas.ts';
import { steps } from '../../src/journey/steps.ts';
import { incidentFields } from '../../src/routes/apply/incidents.ts';
import { paperForms, paperIncidentSlots } from '../../src/routes/public/paper-forms.ts';
import type { ActingOfficer } from '../../src/services/case-action-service.ts';
import { pdfService } from '../../src/services/pdf-service.ts';
import { createTestApp, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { readPdf } from '../helpers/pdf.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Hardcopy: the paper forms, the printed case record and every letter, each in the print layout,
 * and the server's PDF of each (printed by Chromium, read back with PDF.js: tests/helpers/pdf.ts).
 */

const smtp = new TestSmtpServer();
let portal: TestApp;

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
});
afterAll(async () => {
  await portal.services.pdf.close();
  await portal.close();
  await smtp.stop();
});
beforeEach(async () => {
  await truncateAll();
});

const council = southDerbyshire;
const today = () => londonDate(new Date());

/** What every print page shows: the print layout, the council's name and contact, no site navigation, no script. */
function expectPrintLayout(html: string) {
  expect(html).toContain('<body class="govuk-template__body app-print">');
  expect(html).toContain(`<p class="app-print__council">${council.name}</p>`);
  expect(html).toContain(council.contact.phone);
  expect(html).toContain(council.contact.email);
  expect(html).toContain(council.contact.address.at(-1) ?? 'postcode');
  expect(html).toContain('Use your browser’s print command');
  expect(html).not.toContain('app-header');
  expect(html).not.toContain('govuk-service-navigation');
  expect(html).not.toContain('govuk-footer');
  expect(html).not.toContain('<script');
}

/** The HTML of one section of the paper form (sections do not nest). */
function section(html: string, slug: string): string {
  const match = new RegExp(`<section[^>]*data-step="${slug}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  if (!match?.[1]) throw new Error(`The paper form has no section for the journey step "${slug}"`);
  return match[1];
}

/** A date input's three boxes are one question: 'dateOfBirth-day' -> 'dateOfBirth'. */
const questionOf = (field: string) => field.replace(/-(day|month|year)$/, '');
const questionsOf = (fields: { single: readonly string[]; multiple?: readonly string[] }) => [
  ...new Set([...fields.single, ...(fields.multiple ?? [])].map(questionOf)),
];

describe('the paper forms (anyone can print them)', () => {
  it('renders each one in the print layout, without signing in, with a PDF link', async () => {
    for (const form of paperForms) {
      const res = await request(portal.app).get(form.path);
      expect(res.status, form.path).toBe(200);
      expectPrintLayout(res.text);
      expect(res.text).toContain(`<title>${form.title} - ${council.name}</title>`);
      expect(res.text).toContain(`href="${form.path}?format=pdf"`);
    }
  });

  it('has every question of the online form on the paper application form, in the journey’s order', async () => {
    const html = (await request(portal.app).get('/forms/application-form')).text;
    // The question list comes from the journey table: a new question there fails this test until it is on paper.
    const formSteps = steps.filter((step) => step.kind === 'form');
    const expected = formSteps.map((step) => ({ slug: step.slug, questions: questionsOf(step.fields) }));
    expect(expected.flatMap((step) => step.questions)).toEqual(
      expect.arrayContaining(['applyingAs', 'dateOfBirth', 'hateTypes', 'hopedOutcome']),
    );
    for (const { slug, questions } of expected) {
      const part = section(html, slug);
      for (const question of questions) expect(part, `${slug}: ${question}`).toContain(`data-field="${question}"`);
    }

    // Incidents: room for at least six, each with every question of the incident page.
    const incidentQuestions = questionsOf(incidentFields);
    expect(incidentQuestions).toEqual(expect.arrayContaining(['occurredOn', 'approximate', 'reportedTo', 'reportedOn', 'reference']));
    const incidents = section(html, 'incidents').split('data-incident="').slice(1);
    expect(paperIncidentSlots).toBeGreaterThanOrEqual(6);
    expect(incidents).toHaveLength(paperIncidentSlots);
    for (const [index, incident] of incidents.entries()) {
      for (const question of incidentQuestions)
        expect(incident, `incident ${index + 1}: ${question}`).toContain(`data-field="${question}"`);
    }

    // The steps that are not one form (the upload, the incident list) and the declaration are there too.
    for (const step of steps.filter((s) => s.kind !== 'form')) section(html, step.slug);
    const declaration = Object.keys(declarationSchema().shape).filter((field) => field !== 'submissionKey');
    for (const field of declaration) expect(section(html, 'check-answers')).toContain(`data-field="${field}"`);

    // In the order the resident meets them online.
    const order = [...steps.map((step) => step.slug), 'check-answers'].map((slug) => html.indexOf(`data-step="${slug}"`));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // The choices a person ticks, as the online form words them.
    for (const choice of [
      'A community group',
      'My landlord or housing provider',
      'I have not reported it',
      'Transgender identity',
      'Religion or belief',
      'Approximate?',
    ]) {
      expect(html).toContain(choice);
    }
    expect(html).toContain('Where to send this form');
    expect(html).toContain(council.contact.address.join('<br>'));
  });

  it('has a consent form with the victim, the person applying, the consent to share and a signature', async () => {
    const html = (await request(portal.app).get('/forms/consent-form')).text;
    for (const words of [
      'Part 1: You (the victim)',
      'Your address',
      'Part 2: The person applying for you',
      'Their relationship to you',
      'may apply for an ASB Case Review for me',
      `I agree that ${council.name} may share the information in the application`,
      'Your signature',
      'How to send us this form',
      council.contact.address.join(', '),
    ]) {
      expect(html).toContain(words);
    }
    for (const agency of council.partnerAgencies) expect(html).toContain(agency);
  });

  it('prints the guidance notes with the same sections as the guidance page', async () => {
    const page = (await request(portal.app).get('/guidance')).text;
    const printed = (await request(portal.app).get('/forms/guidance-notes')).text;
    const headings = [...page.matchAll(/<h2 class="govuk-heading-m" id="[^"]+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThanOrEqual(9);
    for (const heading of headings) expect(printed).toContain(heading);
    expect(printed).toContain('Apply online at http://portal.test/apply/who-is-applying');
  });

  it('uses the council’s live settings', async () => {
    const admin = await createOfficer(portal, 'administrator');
    const saved = await portal.services.administration.councilSettings.update({ contact: { phone: '01632 960999' } }, admin.id);
    expect(saved.ok).toBe(true);
    const html = (await request(portal.app).get('/forms/consent-form')).text;
    expect(html).toContain('Telephone 01632 960999');
    await portal.services.administration.councilSettings.update({ contact: { phone: council.contact.phone } }, admin.id);
  });

  it('is linked from the start page and the help page', async () => {
    for (const path of ['/', '/contact']) {
      const html = (await request(portal.app).get(path)).text;
      for (const form of paperForms) expect(html, path).toContain(`href="${form.path}"`);
    }
  });
});

/** A signed-in officer (for HTTP) and the same officer for the services. */
async function officer(): Promise<{ v: Visitor; acting: ActingOfficer }> {
  const record = await createOfficer(portal, 'officer');
  const v = visitor(portal.app);
  await signIn(v, record.email);
  return { v, acting: { id: record.id, name: record.name } };
}

/** Takes a received case through every step that has a letter. */
async function caseWithEveryLetter(acting: ActingOfficer) {
  const { reference } = await insertCase(testDatabaseUrl, { victim: { name: 'Alex Example', email: null } });
  const actions = portal.services.caseActions;
  const done = async (result: Promise<{ ok: boolean }>) => expect((await result).ok).toBe(true);
  const agency = council.partnerAgencies[0] ?? '';
  await done(actions.acknowledge(reference, acting, { spocOfficerId: acting.id }));
  await done(
    actions.requestInformation(reference, acting, {
      agency,
      dueOn: addCalendarDays(today(), 14),
      asked: 'Call-outs to 12 Civic Way since May.',
    }),
  );
  await done(
    actions.decideThreshold(reference, acting, {
      outcome: 'met',
      ground: null,
      reason: 'Three related incidents were reported.',
      overrideReason: null,
    }),
  );
  const scheduled = await actions.scheduleReview(reference, acting, {
    scheduledFor: londonInstant(addCalendarDays(today(), 7), { hour: 14, minute: 30 }),
    agencies: [agency],
    independentChair: 'Pat Chair',
    attendance: 'in-person',
    notInvitedReason: null,
  });
  // Nobody has an email address: the invitation is a letter to post.
  expect(scheduled).toMatchObject({ ok: true, letter: 'invitation' });
  await done(
    actions.holdReview(reference, acting, {
      heldOn: today(),
      contributions: [{ agency, shared: 'Four call-outs.', actionsTaken: 'Warning letter.' }],
    }),
  );
  await done(
    actions.addRecommendation(reference, acting, {
      action: 'Install a noise monitor',
      agency: council.partnerAgencies[2] ?? '',
      dueOn: addCalendarDays(today(), 30),
    }),
  );
  await done(actions.recordVictimComments(reference, acting, { comments: 'Alex agrees with the plan.' }));
  await done(actions.sendOutcome(reference, acting, { summary: 'The agencies agreed a plan to stop the noise.' }));
  await done(actions.addNote(reference, acting, { text: 'Spoke to Alex on the phone.' }));
  await done(actions.recordAppeal(reference, acting, { receivedOn: today(), about: 'outcome', appellant: 'Alex Example' }));
  await done(
    actions.concludeAppeal(reference, acting, { result: 'The PCC found the review was done properly.', upheld: false, sentBack: false }),
  );
  await done(actions.close(reference, acting, { reason: 'The action plan is complete.' }));
  const [request] = await query<{ id: string }>('SELECT id FROM information_request');
  return { reference, requestId: request?.id ?? '' };
}

describe('case records and letters (officers only)', () => {
  it('sends anyone not signed in to sign in, for every print page and its PDF', async () => {
    const { reference } = await insertCase(testDatabaseUrl, { status: 'outcome_sent' });
    const base = `/admin/cases/${reference}`;
    for (const path of [
      `${base}/print`,
      `${base}/letters/outcome`,
      `${base}/letters/information-request/00000000-0000-0000-0000-000000000000`,
      `${base}/appeal-pack`,
    ]) {
      for (const url of [path, `${path}?format=pdf`]) {
        const res = await request(portal.app).get(url);
        expect(res.status, url).toBe(303);
        expect(res.headers.location).toBe('/admin/sign-in');
      }
    }
  });

  it('prints every letter, with the right words, in the print layout', async () => {
    const { v, acting } = await officer();
    const { reference, requestId } = await caseWithEveryLetter(acting);
    const letter = async (path: string) => {
      const res = await v.get(`/admin/cases/${reference}/letters/${path}`);
      expect(res.status, path).toBe(200);
      expectPrintLayout(res.text);
      expect(res.text).toContain(`Our reference: ${reference}`);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.text;
    };

    expect(await letter('acknowledgement')).toContain('<strong>Officer Person</strong> is your single point of contact.');

    const request = await letter(`information-request/${requestId}`);
    expect(request).toContain('<p class="govuk-body">Dear colleague,</p>');
    expect(request).toContain(`We are asking ${council.partnerAgencies[0]}, as one of them, what you know about it.`);
    expect(request).toContain('Call-outs to 12 Civic Way since May.');
    expect(request).toContain(`Please reply by <strong>${formatLongDate(addCalendarDays(today(), 14))}</strong>.`);
    expect(request).toContain('Shouting and banging at night, time 1');
    expect(request).toContain('12 Civic Way');

    const decision = await letter('decision');
    expect(decision).toContain('It meets the threshold for a case review, so a review will take place.');
    expect(decision).toContain('Three related incidents were reported.');

    const invitation = await letter('invitation');
    expect(invitation).toContain(
      `The meeting is on <strong>${formatLongDate(addCalendarDays(today(), 7))}</strong> at <strong>2:30pm</strong> (UK time).`,
    );
    expect(invitation).toContain('The meeting will be chaired independently by Pat Chair.');
    expect(invitation).toContain('You told us you would like to attend in person.');

    const outcome = await letter('outcome');
    expect(outcome).toContain('The agencies agreed a plan to stop the noise.');
    expect(outcome).toContain('<td class="govuk-table__cell">Install a noise monitor</td>');
    expect(outcome).toContain(`<td class="govuk-table__cell">${council.partnerAgencies[2]}</td>`);
    expect(outcome).toContain(council.pcc.appealUrl);

    const appeal = await letter('appeal-acknowledgement');
    expect(appeal).toContain(`We have been told of the appeal to ${council.pcc.name} about the outcome of the review.`);

    const closure = await letter('closure');
    expect(closure).toContain('The action plan is complete.');

    // Every view of a letter is audited.
    const audited = await query<{ action: string }>("SELECT action FROM audit_entry WHERE action LIKE 'viewed%letter' ORDER BY at");
    expect(audited.map((row) => row.action)).toEqual([
      'viewed acknowledgement letter',
      'viewed information request letter',
      'viewed decision letter',
      'viewed invitation letter',
      'viewed outcome letter',
      'viewed appeal-acknowledgement letter',
      'viewed closure letter',
    ]);
  });

  it('shows the ground of a rejection, and the reasons and appeal route when the threshold is not met', async () => {
    const { v, acting } = await officer();
    const actions = portal.services.caseActions;
    const rejected = (await insertCase(testDatabaseUrl, { status: 'acknowledged' })).reference;
    const notMet = (await insertCase(testDatabaseUrl, { status: 'acknowledged' })).reference;
    expect(
      (
        await actions.decideThreshold(rejected, acting, {
          outcome: 'rejected',
          ground: 'malicious',
          reason: 'The application targets a neighbour to cause distress.',
          overrideReason: null,
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await actions.decideThreshold(notMet, acting, {
          outcome: 'not-met',
          ground: null,
          reason: 'Only two incidents were reported in the last six months.',
          overrideReason: 'Two of the reports were made late.',
        })
      ).ok,
    ).toBe(true);

    const rejection = (await v.get(`/admin/cases/${rejected}/letters/decision`)).text;
    expect(rejection).toContain('We have rejected it because we consider it <strong>malicious</strong>.');
    expect(rejection).toContain('The application targets a neighbour to cause distress.');
    expect(rejection).toContain('If you are not satisfied');
    expect(rejection).not.toContain('It meets the threshold');

    const notMetLetter = (await v.get(`/admin/cases/${notMet}/letters/decision`)).text;
    expect(notMetLetter).toContain('It does not meet the threshold for a case review.');
    expect(notMetLetter).toContain('Only two incidents were reported in the last six months.');
    expect(notMetLetter).toContain(`You can ask ${council.pcc.name} to review this decision.`);
    expect(notMetLetter).not.toContain('rejected');

    // A letter that does not exist yet is refused with what to do first.
    const none = await v.get(`/admin/cases/${notMet}/letters/invitation`);
    expect(none.status).toBe(409);
    expect(none.text).toContain('There is no invitation letter yet: schedule the review meeting first.');
  });

  it('prints the whole case record for a meeting file, and audits it', async () => {
    const { v, acting } = await officer();
    const { reference } = await caseWithEveryLetter(acting);
    const res = await v.get(`/admin/cases/${reference}/print`);
    expect(res.status).toBe(200);
    expectPrintLayout(res.text);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    for (const words of [
      `Case record: ${reference}`,
      'Printed ',
      'by Officer Person',
      'The victim',
      'Alex Example',
      '12 Civic Way',
      'Shouting and banging at night, time 3',
      'Threshold met',
      'Three related incidents were reported.',
      council.partnerAgencies[0] ?? '',
      'Call-outs to 12 Civic Way since May.',
      'Pat Chair',
      'Four call-outs.',
      'Install a noise monitor',
      'Alex agrees with the plan.',
      'The agencies agreed a plan to stop the noise.',
      'The PCC found the review was done properly.',
      'The action plan is complete.',
      'Outcome sent to Appeal received',
      'Spoke to Alex on the phone.',
    ]) {
      expect(html, words).toContain(words);
    }
    // Links to every letter it has (on screen only).
    for (const name of ['acknowledgement', 'decision', 'invitation', 'outcome', 'appeal-acknowledgement', 'closure']) {
      expect(html).toContain(`href="/admin/cases/${reference}/letters/${name}"`);
    }
    const [audit] = await query<{ n: string }>("SELECT count(*) AS n FROM audit_entry WHERE action = 'printed case record'");
    expect(audit?.n).toBe('1');

    expect((await v.get('/admin/cases/ASB-2026-ZZZZZZ/print')).status).toBe(404);
  });
});

describe('PDF downloads', () => {
  const getPdf = (v: Visitor | null, url: string): Promise<Response> =>
    (v ? v.agent.get(url) : request(portal.app).get(url)).responseType('blob');

  it('prints the letter, the case record and a paper form to PDF on the server', async () => {
    const { v, acting } = await officer();
    const { reference } = await insertCase(testDatabaseUrl, { status: 'acknowledged' });
    await portal.services.caseActions.decideThreshold(reference, acting, {
      outcome: 'rejected',
      ground: 'vexatious',
      reason: 'This repeats the application decided in March.',
      overrideReason: null,
    });

    const letter = await getPdf(v, `/admin/cases/${reference}/letters/decision?format=pdf`);
    expect(letter.status).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toBe(`attachment; filename="${reference}-decision.pdf"`);
    expect(letter.headers['cache-control']).toBe('no-store');
    const letterPdf = letter.body as Buffer;
    expect(letterPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const letterText = (await readPdf(letterPdf)).text;
    expect(letterText).toContain(reference);
    expect(letterText).toContain('vexatious');
    expect(letterText).toContain(council.name);
    expect(letterText).toMatch(/Page 1 of \d/);
    expect(letterText).not.toContain('Use your browser’s print command');

    const record = await getPdf(v, `/admin/cases/${reference}/print?format=pdf`);
    expect(record.status).toBe(200);
    expect(record.headers['content-disposition']).toBe(`attachment; filename="${reference}-case-record.pdf"`);
    expect((await readPdf(record.body as Buffer)).text).toContain(`Case record: ${reference}`);

    const form = await getPdf(null, '/forms/application-form?format=pdf');
    expect(form.status).toBe(200);
    expect(form.headers['content-disposition']).toBe('attachment; filename="asb-case-review-application-form.pdf"');
    const formPdf = await readPdf(form.body as Buffer);
    expect(formPdf.text).toContain('Application for an Anti-Social Behaviour Case Review');
    expect(formPdf.text).toContain('Incident 6');
    expect(formPdf.pages).toBeGreaterThanOrEqual(6);
  });

  it('answers 503 with a page saying to use the browser’s print command when Chromium is not installed', async () => {
    const withoutChromium = createApp({
      ...portal.services,
      pdf: pdfService({ logger: portal.services.logger, chromiumPath: '/nonexistent/chromium' }),
    });
    const res = await request(withoutChromium).get('/forms/consent-form?format=pdf');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('PDF download is not available');
    expect(res.text).toContain('use your browser’s print command');
    expect(res.text).toContain('href="/forms/consent-form"');
    // The page itself still prints.
    expect((await request(withoutChromium).get('/forms/consent-form')).status).toBe(200);
  });
});
