import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steps } from '../../src/journey/steps.ts';
import { checkPage, publicPages } from '../../src/routes/public/index.ts';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import {
  adoptSession,
  expectNoAxeViolations,
  horizontalOverflow,
  launchBrowser,
  navigateBy,
  newContext,
  saveScreenshot,
  serve,
  type RunningServer,
} from '../helpers/browser.ts';
import { truncateAll } from '../helpers/database.ts';
import { fillApplication } from '../helpers/journey.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * axe (WCAG 2.2 A and AA) on every page a resident can see, in its normal state and showing
 * validation errors, plus reflow at 320 CSS pixels (no horizontal scrolling) and screenshots.
 * The application pages come from the journey table, so a new step is covered without editing
 * this file.
 */

const smtp = new TestSmtpServer();
let portal: TestApp | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

/** Browser tabs with a session: a visitor with no draft, and drafts at different points. */
const tabs: { anonymous?: Page; onBehalf?: Page; upload?: Page; self?: Page } = {};

const narrow = { width: 320, height: 800 };
const wide = { width: 1280, height: 900 };

beforeAll(async () => {
  await truncateAll();
  await smtp.start();
  portal = createTestApp({ smtp });
  server = await serve(portal.app);
  browser = await launchBrowser();

  /** A browser tab sharing the session of a visitor who answered the form server-side. */
  const tabFor = async (prepare?: (v: ReturnType<typeof visitor>) => Promise<void>): Promise<Page> => {
    if (!browser || !server || !portal) throw new Error('The browser or the portal did not start');
    const context = await newContext(browser, server.baseUrl);
    contexts.push(context);
    if (prepare) {
      const v = visitor(portal.app);
      await prepare(v);
      await adoptSession(context, server.baseUrl, (await v.get('/apply/check-answers')).headers['set-cookie']);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  tabs.anonymous = await tabFor();
  // Someone applying for a victim who agreed: every form step, the incidents and check-your-answers.
  tabs.onBehalf = await tabFor((v) => fillApplication(v, { onBehalf: true, incidents: 3 }));
  // The same, choosing to upload a signed consent form: the upload page.
  tabs.upload = await tabFor(async (v) => {
    await fillApplication(v, { onBehalf: true, incidents: 3 });
    const changed = await v.submit('/apply/consent', { consentMethod: 'upload', consentDeclared: '', howToConfirm: '' });
    if (changed.headers.location !== '/apply/consent-upload') throw new Error(`Choosing an upload went to ${changed.headers.location}`);
  });
  // A resident applying for themselves, who sends the application: the confirmation page.
  tabs.self = await tabFor((v) => fillApplication(v, { incidents: 3 }));
}, 60_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await portal?.close();
  await smtp.stop();
});

function tab(name: keyof typeof tabs): Page {
  const page = tabs[name];
  if (!page) throw new Error(`The ${name} browser tab was not set up`);
  return page;
}

/** Opens a path and checks the status (and that no redirect took the browser elsewhere). */
async function open(page: Page, path: string, status = 200): Promise<void> {
  await page.setViewportSize(wide);
  const response = await page.goto(path);
  const landed = new URL(page.url());
  expect(`${landed.pathname}${landed.search}`, `opening ${path}`).toBe(path);
  expect(response?.status(), `status of ${path}`).toBe(status);
}

/** Pages that scroll sideways at 320 CSS pixels, by label, with the elements that stick out. */
const reflow = { measured: new Set<string>(), overflowing: new Map<string, string>() };

/** Measures the page at 320 CSS pixels (WCAG 1.4.10 Reflow) and notes any sideways scrolling. */
async function measureReflow(page: Page, label: string): Promise<{ scrollWidth: number; widest: string[] }> {
  await page.setViewportSize(narrow);
  const overflow = await horizontalOverflow(page);
  await page.setViewportSize(wide);
  reflow.measured.add(label);
  if (overflow.scrollWidth > narrow.width)
    reflow.overflowing.set(label, `${overflow.scrollWidth}px wide; sticking out: ${overflow.widest.join(', ')}`);
  return overflow;
}

/** The reflow measurement (asserted for all pages at once, below), then axe at desktop width. */
async function checkPageAccessibility(page: Page, label: string): Promise<void> {
  await measureReflow(page, label);
  await expectNoAxeViolations(page, label);
}

/** Fails with every page measured so far that scrolls sideways at 320px. */
function expectAllReflowed(labels: string[]): void {
  const missing = labels.filter((label) => !reflow.measured.has(label));
  expect(missing, 'pages not measured (run the whole file)').toEqual([]);
  const bad = labels.filter((label) => reflow.overflowing.has(label)).map((label) => `  ${label}: ${reflow.overflowing.get(label)}`);
  if (bad.length)
    throw new Error(`${bad.length} of ${labels.length} pages scroll sideways at 320 CSS pixels (WCAG 1.4.10 Reflow):\n${bad.join('\n')}`);
}

/**
 * Sends the page's form empty, with the keyboard on its submit button: every field cleared and
 * every box unticked first (hidden fields such as the CSRF token are kept). Expects the page back
 * with a 400 and an error summary.
 */
async function submitEmpty(page: Page, label: string): Promise<void> {
  await page.evaluate(() => {
    const form = document.querySelector<HTMLFormElement>('main form[method="post"]');
    if (!form) throw new Error('No POST form in <main>');
    for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type="hidden"]), textarea')) {
      if (field instanceof HTMLInputElement && (field.type === 'radio' || field.type === 'checkbox')) field.checked = false;
      else field.value = '';
    }
  });
  const button = page.locator('main form[method="post"] button[type="submit"]');
  expect(await button.count(), `one submit button on ${label}`).toBe(1);
  const status = await navigateBy(page, () => button.press('Enter'));
  expect(status, `sending ${label} empty`).toBe(400);
  expect(await page.locator('.govuk-error-summary').count(), `an error summary on ${label}`).toBe(1);
  expect(await page.title()).toMatch(/^Error: /);
}

// ---------------------------------------------------------------------------------------------
// Public pages

const publicCases: Array<{ label: string; path: string; status: number; errors?: boolean }> = [
  ...publicPages.map((page) => ({ label: page.title, path: page.path, status: 200 })),
  { label: 'check if you can apply', path: checkPage.path, status: 200 },
  { label: 'check: you can apply', path: `${checkPage.path}?reported=yes&incidents=meets&aboutStaff=no`, status: 200 },
  { label: 'check: may not meet the threshold', path: `${checkPage.path}?reported=yes&incidents=below&aboutStaff=no`, status: 200 },
  { label: 'check: report it first', path: `${checkPage.path}?reported=no&incidents=none&aboutStaff=no`, status: 200 },
  { label: 'check: use the complaints procedure', path: `${checkPage.path}?reported=yes&incidents=meets&aboutStaff=yes`, status: 200 },
  { label: 'check with errors', path: `${checkPage.path}?reported=`, status: 400, errors: true },
  { label: 'published figures', path: '/figures', status: 200 },
  { label: 'page not found', path: '/no-such-page', status: 404 },
  { label: 'resume link expired', path: '/apply/resume/not-a-real-token', status: 404 },
];

describe('public pages', () => {
  it('include every page the brief names', () => {
    const paths = publicCases.map((page) => page.path.split('?')[0]);
    for (const path of [
      '/',
      '/check-if-you-can-apply',
      '/when-not-to-use',
      '/report-asb',
      '/guidance',
      '/contact',
      '/cookies',
      '/privacy',
      '/accessibility',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it.each(publicCases)('$label ($path) has no axe violations', { timeout: 60_000 }, async ({ label, path, status, errors }) => {
    const page = tab('anonymous');
    await open(page, path, status);
    if (errors) {
      expect(await page.locator('.govuk-error-summary').count()).toBe(1);
      await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false)).toBe(true);
    }
    await checkPageAccessibility(page, label);
  });

  it('every public page reflows at 320px without scrolling sideways', () => {
    expectAllReflowed(publicCases.map((page) => page.label));
  });

  it('start page: screenshots at 320px and 1280px, and no sideways scrolling at 320px', { timeout: 60_000 }, async () => {
    const page = tab('anonymous');
    await open(page, '/');
    await page.setViewportSize(narrow);
    await saveScreenshot(page, 'start-320');
    const overflow = await horizontalOverflow(page);
    await page.setViewportSize(wide);
    await saveScreenshot(page, 'start-1280');
    expect(overflow.scrollWidth, `the start page at 320px; sticking out: ${overflow.widest.join(', ')}`).toBeLessThanOrEqual(narrow.width);
  });
});

// ---------------------------------------------------------------------------------------------
// Application pages, from the journey table

interface AppCase {
  label: string;
  path: string;
  /** Send the page's form empty and check the page with its errors. */
  errors: boolean;
}

const applicationCases: AppCase[] = steps.flatMap((step): AppCase[] => {
  const path = `/apply/${step.slug}`;
  if (step.kind === 'incidents') {
    return [
      { label: 'first incident', path: '/apply/incident-details', errors: false },
      { label: 'add an incident', path: '/apply/incident-details', errors: true },
      { label: 'change incident 1', path: '/apply/incident-details/1', errors: false },
      { label: 'the incidents list', path, errors: false },
      { label: 'the incidents list', path, errors: true },
      { label: 'remove incident 1', path: '/apply/incidents/1/remove', errors: false },
      { label: 'remove incident 1', path: '/apply/incidents/1/remove', errors: true },
    ];
  }
  return [
    { label: step.slug, path, errors: false },
    { label: step.slug, path, errors: true },
  ];
});
applicationCases.push(
  { label: 'check your answers', path: '/apply/check-answers', errors: false },
  { label: 'check your answers', path: '/apply/check-answers', errors: true },
  { label: 'save and come back later', path: '/apply/save-and-return', errors: false },
  { label: 'save and come back later', path: '/apply/save-and-return', errors: true },
);

const nameOf = (page: { label: string; errors: boolean }) => `${page.label}${page.errors ? ' with errors' : ''}`;

/** The first prepared tab whose draft reaches the path (the progress guard redirects otherwise). */
async function tabReaching(path: string): Promise<Page> {
  const tried: string[] = [];
  for (const name of ['onBehalf', 'upload'] as const) {
    const page = tab(name);
    await page.setViewportSize(wide);
    await page.goto(path);
    const landed = new URL(page.url());
    if (`${landed.pathname}${landed.search}` === path) return page;
    tried.push(`${name} -> ${landed.pathname}`);
  }
  throw new Error(`No prepared application reaches ${path} (${tried.join(', ')}). Prepare one in beforeAll of ${import.meta.filename}.`);
}

describe('application pages', () => {
  it('cover every step of the journey', () => {
    for (const step of steps) {
      const covered = applicationCases.some((page) => page.path === `/apply/${step.slug}`);
      expect(covered, step.slug).toBe(true);
    }
  });

  it.each(applicationCases.map((page) => ({ ...page, state: page.errors ? 'with errors' : 'as first shown' })))(
    '$label ($path) $state has no axe violations',
    { timeout: 60_000 },
    async ({ label, path, errors }) => {
      const page = await tabReaching(path);
      const name = nameOf({ label, errors });
      if (errors) {
        await submitEmpty(page, name);
        // GOV.UK Frontend moves focus to the summary so screen readers announce it.
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false), {
            message: `${name}: focus on the error summary`,
          })
          .toBe(true);
      }
      await checkPageAccessibility(page, name);
      if (path === '/apply/victim-details' && errors) {
        await page.setViewportSize(narrow);
        await saveScreenshot(page, 'victim-details-errors-320');
        await page.setViewportSize(wide);
      }
    },
  );

  it('the "we have saved your application" page has no axe violations', { timeout: 60_000 }, async () => {
    const page = await tabReaching('/apply/save-and-return');
    const status = await navigateBy(page, () => page.locator('main form button[type="submit"]').press('Enter'));
    expect(status).toBe(200);
    expect(((await page.locator('h1').textContent()) ?? '').trim()).toBe('We have saved your application');
    await checkPageAccessibility(page, 'saved');
  });

  it('every application page reflows at 320px without scrolling sideways', () => {
    expectAllReflowed([...applicationCases.map(nameOf), 'saved']);
  });

  it(
    'the confirmation page: no axe violations, screenshots at 320px and 1280px, no sideways scrolling at 320px',
    { timeout: 60_000 },
    async () => {
      const page = tab('self');
      await open(page, '/apply/check-answers');
      await page.locator('#declaration').press('Space');
      const status = await navigateBy(page, () => page.locator('main form button[type="submit"]').press('Enter'));
      expect(status).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/apply/confirmation');
      expect((await page.locator('.govuk-panel').textContent()) ?? '').toMatch(/ASB-\d{4}-[2-9A-Z]{6}/);
      await page.setViewportSize(narrow);
      await saveScreenshot(page, 'confirmation-320');
      await page.setViewportSize(wide);
      await saveScreenshot(page, 'confirmation-1280');
      await expectNoAxeViolations(page, 'confirmation');
      const overflow = await measureReflow(page, 'confirmation');
      expect(overflow.scrollWidth, `the confirmation page at 320px; sticking out: ${overflow.widest.join(', ')}`).toBeLessThanOrEqual(
        narrow.width,
      );
    },
  );
});
