import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send, victim } from '../helpers/journey.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import { genuinePdf, genuinePng } from '../helpers/upload-files.ts';

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
  await expect.poll(async () => (await query("SELECT 1 FROM outbox_message WHERE status IN ('pending', 'sending')")).length, { timeout: 15_000 }).toBe(0);
});

const png = genuinePng();
const pdf = genuinePdf();

/** An on-behalf application switched to "upload a signed consent form": lands on the upload page. */
async function reachUpload(v: Visitor) {
  await fillApplication(v, { onBehalf: true });
  const changed = await v.submit('/apply/consent?change=1', { consentMethod: 'upload' });
  expect(changed.headers.location).toBe('/apply/consent-upload');
  const page = await v.get('/apply/consent-upload');
  expect(page.status).toBe(200);
  return csrfTokenFrom(page.text);
}

const upload = (v: Visitor, token: string, file: Buffer | null, filename = 'consent.pdf', contentType = 'application/pdf') => {
  const request = v.agent.post('/apply/consent-upload?change=1').field('_csrf', token);
  return file ? request.attach('consentFile', file, { filename, contentType }) : request.field('consentFile', '');
};

describe('uploading the signed consent form', () => {
  it('refuses a file that is not really a PDF, JPG or PNG, whatever its name says', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const response = await upload(v, token, Buffer.from('MZ this is a program pretending to be a PDF'), 'consent.pdf', 'application/pdf');
    expect(response.status).toBe(400);
    expect(response.text).toContain('The selected file must be a PDF, JPG or PNG');
    expect(response.text).toContain('href="#consentFile"');
    expect(await query('SELECT id FROM upload')).toHaveLength(0);
  });

  it('refuses a file over the size limit with a clear message', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024 + 10, 0x20)]);
    const response = await upload(v, token, big);
    expect(response.status).toBe(400);
    expect(response.text).toContain('The selected file must be smaller than 1MB');
    expect(await query('SELECT id FROM upload')).toHaveLength(0);
  });

  it('asks for a file when none was chosen', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const response = await upload(v, token, null);
    expect(response.status).toBe(400);
    expect(response.text).toContain('Select the signed consent form');
  });

  it('keeps a real PNG under a safe name and links it to the case on submit', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const response = await upload(v, token, png, '../../etc/<script>photo.png', 'image/png');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/apply/check-answers');
    const check = await v.get('/apply/check-answers');
    expect(check.text).toContain('Signed consent form uploaded');
    expect(check.text).not.toContain('<script>photo');
    await send(v);
    const rows = await query<{ file_name: string; media_type: string; size: number; linked: boolean }>(
      'SELECT u.file_name, u.media_type, u.size, (c.upload_id = u.id AND u.case_id = c.case_id) AS linked FROM upload u JOIN consent c ON true',
    );
    expect(rows).toEqual([{ file_name: 'signed-consent-form.png', media_type: 'image/png', size: png.length, linked: true }]);
  });
});

describe('save and come back later', () => {
  it('emails a link that brings the answers back in another browser', async () => {
    const v = visitor(portal.app);
    await v.submit('/apply/who-is-applying', { applyingAs: 'self' });
    await v.submit('/apply/victim-type', { victimType: 'person' });
    await v.submit('/apply/victim-details', victim);
    const saved = await v.submit('/apply/save-and-return', { email: 'alex@example.test' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('We have sent a link to <strong>alex@example.test</strong>');

    const [mail] = await smtp.waitFor(1);
    const link = /http:\/\/portal\.test(\/apply\/resume\/[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
    expect(link).toBeDefined();

    const elsewhere = visitor(portal.app);
    const resumed = await elsewhere.get(link ?? '');
    expect(resumed.status).toBe(303);
    expect(resumed.headers.location).toBe('/apply/victim-contact');
    const details = await elsewhere.get('/apply/victim-details');
    expect(details.text).toContain('value="Alex Example"');
    // Only the hash of the token is stored.
    const [draft] = await query<{ resume_token_hash: string }>('SELECT resume_token_hash FROM draft');
    expect(link).not.toContain(draft?.resume_token_hash);
  });

  it('explains when a link is wrong or expired', async () => {
    const response = await visitor(portal.app).get('/apply/resume/not-a-real-token-aaaaaaaaaaaaaaaaa');
    expect(response.status).toBe(404);
    expect(response.text).toContain('This link has expired or has already been used');
  });
});
