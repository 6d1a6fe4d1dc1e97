import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { southDerbyshire } from '../../src/council.ts';
import { addCalendarDays, londonDate } from '../../src/domain/calendar-date.ts';
import { londonInstant } from '../../src/domain/london-time.ts';
import type { ActingOfficer } from '../../src/services/case-action-service.ts';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import {
  adoptSession,
  artefactsDir,
  expectNoAxeViolations,
  horizontalOverflow,
  launchBrowser,
  newContext,
  saveScreenshot,
  serve,
  type RunningServer,
} from '../helpers/browser.ts';
import { insertCase } from '../helpers/case-fixtures.ts';
import { query, testDatabaseUrl, truncateAll } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { readPdf } from '../helpers/pdf.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * Every print page printed by Chromium itself (page.pdf, as a browser's "Save as PDF" does): the
 * page count is in the expected range, the text is there (read with PDF.js), the screen-only hint is
 * not, page numbers come from the print stylesheet, and each page as Chromium shows it for print is
 * saved as tests/artefacts/print-*.png for a person to look at.
 */

const smtp = new TestSmtpServer();
const council = southDerbyshire;
let portal: TestApp;
let server: RunningServer;
let browser: Browser;
let officerContext: BrowserContext;
let publicContext: BrowserContext;
let reference = '';
let requestId = '';

beforeAll(async () => {
  await truncateAll();
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  server = await serve(portal.app);
  browser = await launchBrowser();

  const record = await createOfficer(portal, 'officer');
  const acting: ActingOfficer = { id: record.id, name: record.name };
  ({ reference, requestId } = await caseWithEveryLetter(acting));

  const v = visitor(portal.app);
  await signIn(v, record.email);
  const signedIn = await v.get('/admin');
  // JavaScript on only so axe can run: the print pages have no script of their own.
  officerContext = await newContext(browser, server.baseUrl);
  await adoptSession(officerContext, server.baseUrl, signedIn.headers['set-cookie']);
  publicContext = await newContext(browser, server.baseUrl);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await portal?.services.pdf.close();
  await portal?.close();
  await smtp.stop();
});

async function caseWithEveryLetter(acting: ActingOfficer) {
  const today = londonDate(new Date());
  const inserted = await insertCase(testDatabaseUrl, { victim: { name: 'Alex Example', email: null }, incidents: 4 });
  const actions = portal.services.caseActions;
  const ok = async (result: Promise<{ ok: boolean }>) => expect((await result).ok).toBe(true);
  const ref = inserted.reference;
  const agency = council.partnerAgencies[0] ?? '';
  await ok(actions.acknowledge(ref, acting, { spocOfficerId: acting.id }));
  await ok(
    actions.requestInformation(ref, acting, { agency, dueOn: addCalendarDays(today, 14), asked: 'Call-outs to 12 Civic Way since May.' }),
  );
  await ok(
    actions.decideThreshold(ref, acting, {
      outcome: 'met',
      ground: null,
      reason: 'Four related incidents were reported.',
      overrideReason: null,
    }),
  );
  await ok(
    actions.scheduleReview(ref, acting, {
      scheduledFor: londonInstant(addCalendarDays(today, 7), { hour: 10, minute: 0 }),
      agencies: council.partnerAgencies.slice(0, 3),
      independentChair: null,
      attendance: 'online',
      notInvitedReason: null,
    }),
  );
  await ok(
    actions.holdReview(ref, acting, {
      heldOn: today,
      contributions: council.partnerAgencies
        .slice(0, 3)
        .map((name) => ({ agency: name, shared: 'Two call-outs in May.', actionsTaken: 'A warning letter.' })),
    }),
  );
  for (const [index, action] of ['Install a noise monitor', 'Visit the neighbours together', 'Offer mediation'].entries()) {
    await ok(
      actions.addRecommendation(ref, acting, {
        action,
        agency: council.partnerAgencies[index] ?? '',
        dueOn: addCalendarDays(today, 30 + index),
      }),
    );
  }
  await ok(actions.recordVictimComments(ref, acting, { comments: 'Alex agrees with the plan.' }));
  await ok(actions.sendOutcome(ref, acting, { summary: 'The agencies agreed a plan to stop the noise at night.' }));
  await ok(actions.addNote(ref, acting, { text: 'Spoke to Alex on the phone.' }));
  await ok(actions.recordAppeal(ref, acting, { receivedOn: today, about: 'outcome', appellant: 'Alex Example' }));
  await ok(actions.concludeAppeal(ref, acting, { result: 'The review was done properly.', upheld: false, sentBack: false }));
  await ok(actions.close(ref, acting, { reason: 'The action plan is complete.' }));
  const [row] = await query<{ id: string }>('SELECT id FROM information_request');
  return { reference: ref, requestId: row?.id ?? '' };
}

interface PrintCase {
  name: string;
  path: () => string;
  officer: boolean;
  pages: [number, number];
  text: () => string[];
}

const caseUrl = () => `/admin/cases/${reference}`;
const printPages: PrintCase[] = [
  {
    name: 'application-form',
    path: () => '/forms/application-form',
    officer: false,
    pages: [6, 10],
    text: () => [
      'Application for an Anti-Social Behaviour Case Review',
      'For office use only',
      'Incident 6',
      'Transgender identity',
      'Where to send this form',
      council.contact.email,
    ],
  },
  {
    name: 'consent-form',
    path: () => '/forms/consent-form',
    officer: false,
    pages: [1, 2],
    text: () => ['Part 3: Your consent', 'Your signature', council.contact.email],
  },
  {
    name: 'guidance-notes',
    path: () => '/forms/guidance-notes',
    officer: false,
    pages: [3, 8],
    text: () => ['Guidance notes for the ASB Case Review application form', '9. Getting help'],
  },
  {
    name: 'case-record',
    path: () => `${caseUrl()}/print`,
    officer: true,
    pages: [2, 7],
    text: () => [`Case record: ${reference}`, 'Install a noise monitor', 'Spoke to Alex on the phone.', 'Chronology'],
  },
  {
    name: 'letter-acknowledgement',
    path: () => `${caseUrl()}/letters/acknowledgement`,
    officer: true,
    pages: [1, 2],
    text: () => [reference, 'is your single point of contact'],
  },
  {
    name: 'letter-information-request',
    path: () => `${caseUrl()}/letters/information-request/${requestId}`,
    officer: true,
    pages: [1, 3],
    text: () => [reference, 'request for information', 'Call-outs to 12 Civic Way since May.'],
  },
  {
    name: 'letter-decision',
    path: () => `${caseUrl()}/letters/decision`,
    officer: true,
    pages: [1, 2],
    text: () => [reference, 'It meets the threshold for a case review'],
  },
  {
    name: 'letter-invitation',
    path: () => `${caseUrl()}/letters/invitation`,
    officer: true,
    pages: [1, 2],
    text: () => [reference, 'You told us you would like to attend online.'],
  },
  {
    name: 'letter-outcome',
    path: () => `${caseUrl()}/letters/outcome`,
    officer: true,
    pages: [1, 3],
    text: () => [reference, 'Offer mediation', 'If you are not satisfied'],
  },
  {
    name: 'letter-appeal-acknowledgement',
    path: () => `${caseUrl()}/letters/appeal-acknowledgement`,
    officer: true,
    pages: [1, 2],
    text: () => [reference, 'We have been told of the appeal'],
  },
  {
    name: 'letter-closure',
    path: () => `${caseUrl()}/letters/closure`,
    officer: true,
    pages: [1, 2],
    text: () => [reference, 'The action plan is complete.'],
  },
  {
    name: 'appeal-pack',
    path: () => `${caseUrl()}/appeal-pack`,
    officer: true,
    pages: [2, 8],
    text: () => [`Appeal pack: ${reference}`, 'Chronology'],
  },
];

describe('printing each print page in Chromium', () => {
  it.each(printPages)('$name prints on A4 with the expected pages and words', async (print) => {
    const page = await (print.officer ? officerContext : publicContext).newPage();
    try {
      const response = await page.goto(print.path());
      expect(response?.status(), print.path()).toBe(200);
      const pdf = await readPdf(await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));

      const pages = pdf.pages;
      expect(pages, `${print.name} has ${pages} pages`).toBeGreaterThanOrEqual(print.pages[0]);
      expect(pages, `${print.name} has ${pages} pages`).toBeLessThanOrEqual(print.pages[1]);

      const text = pdf.text;
      for (const words of [council.name, ...print.text()]) expect(text, `${print.name}: ${words}`).toContain(words);
      // Page numbers from the print stylesheet's page margin boxes; the screen-only hint is not printed.
      expect(text).toContain(`Page 1 of ${pages}`);
      expect(text).not.toContain('Use your browser’s print command');

      // The page as it prints (print stylesheet, A4 width), to look at: tests/artefacts/print-<name>.png
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await saveScreenshot(page, `print-${print.name}`);
    } finally {
      await page.close();
    }
  });

  it('shows the print pages accessibly on screen (axe, WCAG 2.2 AA)', async () => {
    for (const print of printPages.filter((p) => ['application-form', 'consent-form', 'guidance-notes', 'case-record'].includes(p.name))) {
      const page = await (print.officer ? officerContext : publicContext).newPage();
      try {
        await page.goto(print.path());
        await expectNoAxeViolations(page, print.name);
      } finally {
        await page.close();
      }
    }
  });

  it('keeps an A4 sheet readable on a phone screen (no sideways scrolling)', async () => {
    const context = await newContext(browser, server.baseUrl, { javaScriptEnabled: false, width: 320 });
    try {
      const page = await context.newPage();
      await page.goto('/forms/application-form');
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, `wider than the screen: ${overflow.widest.join(', ')}`).toBeLessThanOrEqual(overflow.clientWidth);
      await page.screenshot({ path: path.join(artefactsDir, 'print-application-form-screen-320.png') });
    } finally {
      await context.close();
    }
  });
});
