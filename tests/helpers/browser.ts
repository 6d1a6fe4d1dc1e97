import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sessionCookieName } from '../../src/middleware/session.ts';
import { chromiumArgs, defaultChromiumPath } from '../../src/services/pdf-service.ts';

/**
 * Real-browser tests: Debian's Chromium driven by playwright-core (no downloaded browser), axe-core
 * for accessibility, and keyboard helpers that prove every control can be reached with Tab.
 */

// The same Chromium and launch arguments the server prints PDFs with.
export const chromiumPath = process.env.CHROMIUM_PATH ?? defaultChromiumPath;

/** Launches Chromium, or fails (never skips) with how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}, and it is not there. Install it with: apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH to another Chromium binary). Do not use `npx playwright install`: it downloads a browser, which fails here.',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs], timeout: 30_000 });
}

export interface RunningServer {
  /** For example http://127.0.0.1:40123 (no trailing slash). */
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the Express app on an ephemeral loopback port. */
export async function serve(app: Express): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The browser keeps connections alive; close them so `close` does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
}

/** A fresh browser context (its own cookies) whose relative URLs go to the portal. */
export function newContext(
  browser: Browser,
  baseUrl: string,
  options: { javaScriptEnabled?: boolean; width?: number } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
}

/**
 * Gives a browser context the session of a server-side visitor (supertest), from a response's
 * Set-Cookie (the portal's sessions are rolling, so every response re-sends the cookie).
 */
export async function adoptSession(
  context: BrowserContext,
  baseUrl: string,
  setCookie: string | string[] | undefined,
  name = sessionCookieName(false),
): Promise<void> {
  const headers = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const cookie = headers.map((header) => header.split(';')[0] ?? '').find((pair) => pair.startsWith(`${name}=`));
  if (!cookie) throw new Error(`No ${name} cookie in the response (Set-Cookie: ${headers.join(' | ') || 'none'})`);
  await context.addCookies([{ name, value: cookie.slice(name.length + 1), url: baseUrl }]);
}

const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type AxeNode = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number]['nodes'][number];

/**
 * Known, deliberate findings that are not the portal's to fix, each matched as narrowly as
 * possible. Everything else fails.
 */
export const knownAxeExceptions: ReadonlyArray<{ rule: string; why: string; matches: (node: AxeNode) => boolean }> = [
  {
    // GOV.UK Frontend's Radios JavaScript sets aria-expanded on a radio that reveals a conditional
    // question. ARIA does not allow it on role=radio, but GOV.UK keeps it on purpose because screen
    // readers announce it (alphagov/govuk-frontend#979, listed as a known issue in #1280).
    rule: 'aria-allowed-attr',
    why: 'aria-expanded on a GOV.UK conditional-reveal radio (govuk-frontend#979)',
    matches: (node) => {
      const messages = [...node.any, ...node.all, ...node.none].map((check) => check.message);
      return (
        /class="govuk-radios__input"/.test(node.html) &&
        / aria-controls="conditional-/.test(node.html) &&
        messages.length > 0 &&
        messages.every((message) => /^ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(message))
      );
    },
  },
];

/** Runs axe (WCAG 2.2 A and AA) on the page; fails with every violation, its help and where it is. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(axeTags).analyze();
  const violations = results.violations
    .map((violation) => ({
      ...violation,
      nodes: violation.nodes.filter((node) => !knownAxeExceptions.some((known) => known.rule === violation.id && known.matches(node))),
    }))
    .filter((violation) => violation.nodes.length > 0);
  if (violations.length === 0) return;
  const lines = violations.map((violation) => {
    const targets = violation.nodes.map(
      (node) =>
        `      - ${node.target.map(String).join(' >> ')}${node.failureSummary ? `\n        ${node.failureSummary.replace(/\n/g, '\n        ')}` : ''}`,
    );
    return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${targets.join('\n')}`;
  });
  throw new Error(`axe found ${violations.length} accessibility violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
}

export const artefactsDir = path.resolve(import.meta.dirname, '../artefacts');

/** Saves a full-page PNG to tests/artefacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artefactsDir, { recursive: true });
  const file = path.join(artefactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page is no wider than the viewport: no horizontal scrolling (WCAG 1.4.10 Reflow). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const widest = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
      .slice(0, 8)
      .map((element) => {
        const classes =
          typeof element.className === 'string' && element.className.trim() ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
        const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ');
        return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes}${text && text.length <= 60 ? ` "${text}"` : ''}`;
      });
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
}

/** What has focus now: a short description for failure messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'nothing (the body)';
    const id = element.id ? `#${element.id}` : '';
    const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${element.tagName.toLowerCase()}${id}${text ? ` "${text}"` : ''}`;
  });
}

/**
 * What to tab to: a CSS selector, or the accessible name (label, aria-label or text) of a
 * focusable element, optionally with its role ('button', 'link', 'textbox', 'radio', ...).
 */
export type FocusTarget = string | { name: string | RegExp; role?: string };

/**
 * Presses Tab (or Shift+Tab) until the focused element matches, at most `maxPresses` times.
 * Proves the element is reachable with the keyboard; fails with what had focus on the way.
 */
export async function tabTo(page: Page, target: FocusTarget, options: { backwards?: boolean; maxPresses?: number } = {}): Promise<void> {
  const maxPresses = options.maxPresses ?? 80;
  const visited: string[] = [];
  for (let presses = 0; presses < maxPresses; presses += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    if (await focusMatches(page, target)) return;
    visited.push(await describeFocus(page));
  }
  throw new Error(
    `Could not reach ${typeof target === 'string' ? target : `${target.role ?? 'element'} named ${String(target.name)}`} with ${maxPresses} presses of ${options.backwards ? 'Shift+Tab' : 'Tab'} on ${page.url()}. Focus went to:\n  ${visited.join('\n  ')}`,
  );
}

async function focusMatches(page: Page, target: FocusTarget): Promise<boolean> {
  const spec: { selector: string | null; name: string | null; pattern: { source: string; flags: string } | null; role: string | null } =
    typeof target === 'string'
      ? { selector: target, name: null, pattern: null, role: null }
      : {
          selector: null,
          name: typeof target.name === 'string' ? target.name : null,
          pattern: typeof target.name === 'string' ? null : { source: target.name.source, flags: target.name.flags },
          role: target.role ?? null,
        };
  return page.evaluate((wanted) => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return false;
    if (wanted.selector !== null) return element.matches(wanted.selector);
    const implicitRole = (): string => {
      const explicit = element.getAttribute('role');
      if (explicit) return explicit;
      const tag = element.tagName.toLowerCase();
      if (tag === 'a') return 'link';
      if (tag === 'button') return 'button';
      if (tag === 'textarea') return 'textbox';
      if (tag === 'input') {
        const type = (element as HTMLInputElement).type;
        if (type === 'radio' || type === 'checkbox') return type;
        if (type === 'submit' || type === 'button') return 'button';
        return 'textbox';
      }
      return tag;
    };
    if (wanted.role && implicitRole() !== wanted.role) return false;
    const labelled = element as HTMLInputElement;
    const name = (
      element.getAttribute('aria-label') ??
      (labelled.labels && labelled.labels.length
        ? [...labelled.labels].map((label) => label.textContent ?? '').join(' ')
        : (element.textContent ?? ''))
    )
      .trim()
      .replace(/\s+/g, ' ');
    if (wanted.pattern) return new RegExp(wanted.pattern.source, wanted.pattern.flags).test(name);
    return name === wanted.name;
  }, spec);
}

/** Tabs to a text field and types into it, key by key. */
export async function typeInto(page: Page, target: FocusTarget, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/**
 * Chooses a radio with the keyboard: Tab into its group (focus lands on the checked radio, or the
 * first), then the arrow keys to the wanted one; Space selects the first when none was checked.
 */
export async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, `input[type="radio"][name="${name}"]`);
  const state = () =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLInputElement;
      return { value: element.value, checked: element.checked };
    });
  for (let presses = 0; presses < 20; presses += 1) {
    const now = await state();
    if (now.value === value) {
      if (!now.checked) await page.keyboard.press('Space');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No radio ${name}=${value} reached with the arrow keys on ${page.url()}`);
}

/** Ticks a checkbox with the keyboard (Tab to it, then Space). */
export async function tickCheckbox(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  const checked = await page.evaluate(() => (document.activeElement as HTMLInputElement).checked);
  if (!checked) await page.keyboard.press('Space');
}

/**
 * Runs `act` (a key press that submits a form or follows a link) and waits for the next page to
 * load. Returns the HTTP status of the page the browser ends on.
 */
export async function navigateBy(page: Page, act: () => Promise<void>): Promise<number> {
  const response = page.waitForEvent('response', {
    // The last response of the navigation: not a redirect.
    predicate: (r) =>
      r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
    timeout: 15_000,
  });
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 15_000 });
  await act();
  const [final] = await Promise.all([response, navigated]);
  await page.waitForLoadState('load');
  return final.status();
}

/** Path (and query) of the page the browser is on. */
export function currentPath(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}
