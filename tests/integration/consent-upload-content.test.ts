import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uploadMessages } from '../../src/services/consent-file-check.ts';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, victim } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import {
  garbagePdf,
  genuineJpeg,
  genuinePdf,
  genuinePng,
  htmlPdfPolyglot,
  pngClaiming,
  truncatedPdf,
} from '../helpers/upload-files.ts';

/**
 * The signed consent form is checked for what it is, not only by its first bytes: an image must
 * be of a scan's size, a PDF must open as a PDF, and no file may also be a web page. The same
 * check on both mounts of the form: the resident's and the officer's paper application.
 */

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

const mounts = [
  { name: 'the resident’s application', base: '/apply' },
  { name: 'an officer’s paper application', base: '/admin/paper-applications' },
] as const;

/** An on-behalf application on this mount, switched to "upload the signed form": the upload page's token. */
async function reachUpload(base: string): Promise<{ v: Visitor; token: string }> {
  const v = visitor(portal.app);
  if (base !== '/apply') {
    const officer = await createOfficer(portal, 'officer');
    await signIn(v, officer.email);
    const today = new Date();
    const started = await v.submit(base, {
      channel: 'paper',
      'receivedOn-day': String(today.getUTCDate()),
      'receivedOn-month': String(today.getUTCMonth() + 1),
      'receivedOn-year': String(today.getUTCFullYear()),
    });
    expect(started.headers.location).toBe(`${base}/who-is-applying`);
  }
  await fillApplication(v, { onBehalf: true, incidents: 1, base });
  const changed = await v.submit(`${base}/consent?change=1`, { consentMethod: 'upload' });
  expect(changed.headers.location).toBe(`${base}/consent-upload`);
  const page = await v.get(`${base}/consent-upload`);
  expect(page.status).toBe(200);
  return { v, token: csrfTokenFrom(page.text) };
}

const upload = (v: Visitor, base: string, token: string, file: Buffer, filename: string, contentType: string) =>
  v.agent.post(`${base}/consent-upload?change=1`).field('_csrf', token).attach('consentFile', file, { filename, contentType });

const fieldError = (html: string) => /<p id="consentFile-error" class="govuk-error-message">[\s\S]*?<\/span>\s*([^<]*)<\/p>/.exec(html)?.[1]?.trim();

const refused = [
  { name: 'a 60,000 x 60,000 pixel PNG (a decompression bomb)', file: pngClaiming(60_000, 60_000), filename: 'scan.png', type: 'image/png', message: uploadMessages.imageTooLarge },
  { name: 'a PNG 10,001 pixels wide', file: pngClaiming(10_001, 100), filename: 'scan.png', type: 'image/png', message: uploadMessages.imageTooLarge },
  { name: 'a PNG of 56 megapixels (8,000 x 7,000)', file: pngClaiming(8_000, 7_000), filename: 'scan.png', type: 'image/png', message: uploadMessages.imageTooLarge },
  { name: 'a PDF that is also an HTML page', file: htmlPdfPolyglot(), filename: 'consent.pdf', type: 'application/pdf', message: uploadMessages.webPage },
  { name: 'a truncated PDF', file: truncatedPdf(), filename: 'consent.pdf', type: 'application/pdf', message: uploadMessages.pdfUnreadable },
  { name: 'a "%PDF-" file of garbage', file: garbagePdf(), filename: 'consent.pdf', type: 'application/pdf', message: uploadMessages.pdfUnreadable },
];

const accepted = [
  { name: 'a genuine one-page PDF', file: genuinePdf(), filename: 'consent.pdf', type: 'application/pdf', stored: 'signed-consent-form.pdf' },
  { name: 'a genuine PNG', file: genuinePng(), filename: 'consent.png', type: 'image/png', stored: 'signed-consent-form.png' },
  { name: 'a genuine JPEG photo', file: genuineJpeg, filename: 'consent.jpg', type: 'image/jpeg', stored: 'signed-consent-form.jpg' },
];

describe.each(mounts)('the consent form uploaded in $name', ({ base }) => {
  it.each(refused)('refuses $name with a message on the field, keeping every other answer', async ({ file, filename, type, message }) => {
    const { v, token } = await reachUpload(base);
    const before = await query<{ answers: unknown }>('SELECT answers FROM draft');

    const response = await upload(v, base, token, file, filename, type);
    expect(response.status).toBe(400);
    expect(response.text).toContain(`<a href="#consentFile">${message}</a>`);
    expect(fieldError(response.text)).toBe(message);
    expect(await query('SELECT id FROM upload')).toHaveLength(0);

    // Nothing else is lost: the draft is as it was, and its answers are shown back.
    expect(await query<{ answers: unknown }>('SELECT answers FROM draft')).toEqual(before);
    const details = await v.get(`${base}/victim-details`);
    expect(details.text).toContain(`value="${victim.fullName}"`);
    const again = await v.get(`${base}/consent-upload`);
    expect(again.status).toBe(200);
    // And a genuine file can be sent straight after.
    const retry = await upload(v, base, csrfTokenFrom(again.text), genuinePdf(), 'consent.pdf', 'application/pdf');
    expect(retry.status).toBe(303);
  });

  it.each(accepted)('accepts $name and keeps it under a name of our own', async ({ file, filename, type, stored }) => {
    const { v, token } = await reachUpload(base);
    const response = await upload(v, base, token, file, filename, type);
    expect(response.status, fieldError(response.text)).toBe(303);
    expect(response.headers.location).toBe(`${base}/check-answers`);
    const rows = await query<{ file_name: string; media_type: string; size: number }>('SELECT file_name, media_type, size FROM upload');
    expect(rows).toEqual([{ file_name: stored, media_type: type, size: file.length }]);
    expect((await v.get(`${base}/check-answers`)).text).toContain('Signed consent form uploaded');
  });
});
