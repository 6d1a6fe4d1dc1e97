import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLongDate } from '../../src/domain/calendar-date.ts';
import { acknowledgementDueDate } from '../../src/domain/working-days.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  chooseRadio,
  currentPath,
  describeFocus,
  launchBrowser,
  navigateBy,
  newContext,
  serve,
  tabTo,
  tickCheckbox,
  typeInto,
  type RunningServer,
} from '../helpers/browser.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { daysAgo } from '../helpers/journey.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

/**
 * The resident's application in a real browser, with the keyboard only: Tab and Shift+Tab to move,
 * Space and the arrow keys for radios and checkboxes, typing into fields, Enter to send a form.
 * No mouse clicks and no `fill`: every control used is reached by tabbing to it.
 */

const smtp = new TestSmtpServer();
let portal: TestApp | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await truncateAll();
  await smtp.start();
  portal = createTestApp({ smtp });
  server = await serve(portal.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.close();
  await portal?.close();
  await smtp.stop();
});

async function openPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  if (!browser || !server) throw new Error('The browser or the portal did not start');
  const context = await newContext(browser, server.baseUrl, options);
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** The text of the page's h1, spaces normalised. */
async function heading(page: Page): Promise<string> {
  return ((await page.locator('h1').first().textContent()) ?? '').trim().replace(/\s+/g, ' ');
}

async function mainText(page: Page): Promise<string> {
  return ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The page's heading and error summary, to say where the journey went wrong. */
async function whereAmI(page: Page): Promise<string> {
  const heading =
    (
      await page
        .locator('h1')
        .first()
        .textContent()
        .catch(() => null)
    )?.trim() ?? '(no h1)';
  const problems = await page
    .locator('.govuk-error-summary__list')
    .textContent()
    .catch(() => null);
  return `${currentPath(page)} "${heading}"${problems ? ` with errors: ${problems.trim().replace(/\s+/g, ' ')}` : ''}`;
}

async function expectOn(page: Page, path: string): Promise<void> {
  const here = currentPath(page);
  if (here !== path) throw new Error(`Expected to be on ${path}, but the browser is on ${await whereAmI(page)}`);
}

/** Tabs to the form's button and presses Enter (or Space); returns the status of the next page. */
async function pressButton(page: Page, name: string, key: 'Enter' | 'Space' = 'Enter'): Promise<number> {
  await tabTo(page, { role: 'button', name });
  return navigateBy(page, () => page.keyboard.press(key));
}

async function typeDate(page: Page, prefix: string, daysBack: number): Promise<void> {
  const date = daysAgo(daysBack, prefix);
  for (const part of ['day', 'month', 'year']) await typeInto(page, `#${prefix}-${part}`, date[`${prefix}-${part}`] ?? '');
}

async function addIncident(page: Page, n: number): Promise<void> {
  await expectOn(page, '/apply/incident-details');
  expect(await heading(page)).toBe(`Incident ${n}`);
  await typeDate(page, 'occurredOn', 10 * n + 2);
  await typeInto(page, '#description', `Shouting and banging at night, time ${n}`);
  await typeInto(page, '#location', 'Outside 12 Civic Way');
  await tickCheckbox(page, '#reportedTo'); // The council
  await tickCheckbox(page, '#reportedTo-2'); // The police
  await typeDate(page, 'reportedOn', 10 * n);
  await typeInto(page, '#reference', `CR-${n}`);
  expect(await pressButton(page, 'Save incident')).toBe(200);
  await expectOn(page, '/apply/incidents');
  expect(await heading(page)).toBe(n === 1 ? 'You have added 1 incident' : `You have added ${n} incidents`);
}

describe('a resident applying for themselves, with the keyboard only', () => {
  it('goes from "Start now" through every page to the confirmation, and the case is saved', { timeout: 120_000 }, async () => {
    const page = await openPage();
    await page.goto('/');
    expect(await heading(page)).toContain('Anti-Social Behaviour Case Review');

    // "Start now" is a link styled as a button: GOV.UK Frontend makes Space activate it, as for a button.
    await tabTo(page, { role: 'button', name: 'Start now' });
    await navigateBy(page, () => page.keyboard.press('Space'));
    await expectOn(page, '/apply/who-is-applying');

    await chooseRadio(page, 'applyingAs', 'self');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/victim-type');

    await chooseRadio(page, 'victimType', 'person');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/victim-details');

    // Sent empty: the error summary takes focus, and its first link moves focus to the field.
    expect(await pressButton(page, 'Continue')).toBe(400);
    await expectOn(page, '/apply/victim-details');
    expect(await page.title()).toMatch(/^Error: /);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false), {
        message: 'the error summary has focus',
      })
      .toBe(true);
    await page.keyboard.press('Tab');
    const firstLink = await page.evaluate(() => ({
      href: document.activeElement?.getAttribute('href'),
      text: document.activeElement?.textContent?.trim(),
    }));
    expect(firstLink).toEqual({ href: '#fullName', text: 'Enter your full name' });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id), { message: 'the error link moved focus to the field' })
      .toBe('fullName');
    expect(currentPath(page)).toBe('/apply/victim-details');

    await page.keyboard.type('Alex Example');
    await typeInto(page, '#addressLine1', '12 Civic Way');
    await typeInto(page, '#town', 'Swadlincote');
    await typeInto(page, '#postcode', 'de11 0ah');
    // Shift+Tab back to the first line to prove the order runs both ways, then on to Continue.
    await tabTo(page, '#addressLine1', { backwards: true });
    expect(await pressButton(page, 'Continue')).toBe(200);
    await expectOn(page, '/apply/victim-contact');

    await typeInto(page, '#email', 'alex@example.test');
    await typeInto(page, '#phone', '07700 900982');
    await chooseRadio(page, 'preferredContact', 'email');
    await typeInto(page, '#safeTimes', 'After 6pm');
    await pressButton(page, 'Continue');

    for (let n = 1; n <= 3; n += 1) {
      await addIncident(page, n);
      await chooseRadio(page, 'addAnother', n < 3 ? 'yes' : 'no');
      await pressButton(page, 'Continue');
    }
    await expectOn(page, '/apply/related-incidents');

    await chooseRadio(page, 'incidentsRelated', 'yes');
    await chooseRadio(page, 'otherHouseholds', 'no');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/impact');

    await typeInto(page, '#impact', 'We cannot sleep and the children are frightened.');
    await chooseRadio(page, 'vulnerable', 'no');
    await chooseRadio(page, 'hateMotivated', 'no');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/action-so-far');

    await typeInto(page, '#actionSoFar', 'Reported to the council and police; a warning letter was sent.');
    await typeInto(page, '#hopedOutcome', 'For the noise to stop.');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/check-answers');

    const answers = await mainText(page);
    expect(answers).toContain('Alex Example');
    expect(answers).toMatch(/de11 0ah/i); // shown as typed; the case record holds it normalised (checked below)
    for (let n = 1; n <= 3; n += 1) expect(answers).toContain(`Shouting and banging at night, time ${n}`);
    await tickCheckbox(page, '#declaration');
    expect(await pressButton(page, 'Accept and send')).toBe(200);
    await expectOn(page, '/apply/confirmation');

    expect(await heading(page)).toBe('Application sent');
    const panel = (await page.locator('.govuk-panel').textContent()) ?? '';
    const reference = /ASB-\d{4}-[2-9A-Z]{6}/.exec(panel)?.[0];
    expect(reference, `a reference in the panel: ${panel}`).toBeDefined();
    const dueDate = formatLongDate(acknowledgementDueDate(new Date(), 5));
    expect(await mainText(page)).toContain(`An officer will contact you by ${dueDate}`);

    const cases = await query<{ reference: string; status: string; threshold_met: boolean; channel: string }>(
      'SELECT reference, status, threshold_met, channel FROM "case"',
    );
    expect(cases).toEqual([{ reference, status: 'received', threshold_met: true, channel: 'online' }]);
    const incidents = await query<{ position: number; reported_to: string[] }>(
      'SELECT position, reported_to FROM incident ORDER BY position',
    );
    expect(incidents.map((row) => row.position)).toEqual([1, 2, 3]);
    expect(incidents.map((row) => row.reported_to)).toEqual([
      ['council', 'police'],
      ['council', 'police'],
      ['council', 'police'],
    ]);
    const victims = await query<{ name: string; postcode: string }>("SELECT name, postcode FROM person WHERE role = 'victim'");
    expect(victims).toEqual([{ name: 'Alex Example', postcode: 'DE11 0AH' }]);

    // The acknowledgement goes out by email through the outbox.
    await smtp.waitFor(2, 15_000);
    expect(smtp.to('alex@example.test')[0]?.subject).toContain(reference);
  });
});

describe('with JavaScript turned off', () => {
  it('the first pages, an incident and the add-another page still work with the keyboard', { timeout: 120_000 }, async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.goto('/');
    // GOV.UK Frontend's inline script never ran.
    expect(await page.locator('body.js-enabled').count()).toBe(0);

    // Without JavaScript "Start now" is a plain link: Enter follows it.
    await tabTo(page, { role: 'button', name: 'Start now' });
    await navigateBy(page, () => page.keyboard.press('Enter'));
    await expectOn(page, '/apply/who-is-applying');

    // The error summary still shows (nothing focuses it without JavaScript) and links to the field.
    expect(await pressButton(page, 'Continue')).toBe(400);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.govuk-error-summary a').getAttribute('href')).toBe('#applyingAs');
    expect(await page.locator('#applyingAs-error').isVisible()).toBe(true);

    await chooseRadio(page, 'applyingAs', 'self');
    expect(await describeFocus(page)).toContain('#applyingAs');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/victim-type');

    await chooseRadio(page, 'victimType', 'person');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/victim-details');

    await typeInto(page, '#fullName', 'Robin Nojs');
    await typeInto(page, '#addressLine1', '3 Plain Street');
    await typeInto(page, '#town', 'Swadlincote');
    await typeInto(page, '#postcode', 'DE11 0AH');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/victim-contact');

    await typeInto(page, '#phone', '07700 900123');
    await chooseRadio(page, 'preferredContact', 'phone');
    await pressButton(page, 'Continue');

    // Without JavaScript the "Someone else" box is always shown; it must not get in the way.
    expect(await page.locator('#reportedToOther').isVisible()).toBe(true);
    await addIncident(page, 1);
    expect(await page.locator('.govuk-summary-card').count()).toBe(1);
    await chooseRadio(page, 'addAnother', 'yes');
    await pressButton(page, 'Continue');
    await addIncident(page, 2);
    await chooseRadio(page, 'addAnother', 'no');
    await pressButton(page, 'Continue');
    await expectOn(page, '/apply/related-incidents');
    expect(await heading(page)).toBe('Are the incidents related?');

    const drafts = await query<{ answers: { incidents: unknown[] } }>('SELECT answers FROM draft WHERE answers::text LIKE $1', [
      '%Robin Nojs%',
    ]);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.answers.incidents).toHaveLength(2);
  });
});
