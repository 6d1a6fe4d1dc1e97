import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, csrfTokenFrom, visitor, type TestApp, type Visitor } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { fillApplication, send } from '../helpers/journey.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';
import { genuinePdf, genuinePng } from '../helpers/upload-files.ts';

/**
 * What the portal does with bodies that are too big or broken, and with the names of uploaded
 * files. The test portal takes uploads up to 1MB (UPLOAD_MAX_MB=1 in createTestApp).
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

const tooLargePage = (response: { status: number; text: string }) => {
  expect(response.status).toBe(413);
  expect(response.text).toContain('<title>What you sent is too large');
  expect(response.text).toContain('What you sent was too large for us to accept. Any answers you had already saved are kept.');
};

const pdf = genuinePdf();
const png = genuinePng();

/** An on-behalf application that chose to upload the signed consent form; returns the upload page's token. */
async function reachUpload(v: Visitor): Promise<string> {
  await fillApplication(v, { onBehalf: true, incidents: 1 });
  const changed = await v.submit('/apply/consent?change=1', { consentMethod: 'upload' });
  expect(changed.headers.location).toBe('/apply/consent-upload');
  return csrfTokenFrom((await v.get('/apply/consent-upload')).text);
}

async function draftAnswers(): Promise<string> {
  const rows = await query<{ answers: unknown }>('SELECT answers FROM draft');
  return JSON.stringify(rows.map((row) => row.answers));
}

describe('form bodies that are too large', () => {
  it('an oversized form body gets the 413 page on every kind of form, and nothing is saved', async () => {
    const officer = await createOfficer(portal, 'administrator');
    const v = visitor(portal.app);
    await signIn(v, officer.email);
    await fillApplication(v, { incidents: 1 });
    const before = await draftAnswers();
    for (const path of [
      '/apply/impact',
      '/apply/incident-details',
      '/apply/check-answers',
      '/admin/settings',
      '/admin/officers/new',
      '/admin/paper-applications',
    ]) {
      const token = csrfTokenFrom((await v.get(path)).text);
      const response = await v.agent
        .post(path)
        .type('form')
        .send({ _csrf: token, impact: 'x'.repeat(250_000) });
      tooLargePage(response);
    }
    expect(await draftAnswers()).toBe(before);
  });

  it('too many fields in one form body gets the 413 page', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    const fields = Array.from({ length: 400 }, (_, i) => `field${i}=x`).join('&');
    tooLargePage(
      await v.agent
        .post('/apply/who-is-applying')
        .type('form')
        .send(`_csrf=${encodeURIComponent(token)}&applyingAs=self&${fields}`),
    );
    expect(await query('SELECT id FROM draft')).toHaveLength(0);
  });

  it('a form body that says it is bigger than it is, or is cut off, is not a server error', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    const response = await v.agent
      .post('/apply/who-is-applying')
      .type('form')
      .set('Content-Encoding', 'gzip')
      .send(`_csrf=${encodeURIComponent(token)}&applyingAs=self`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const charset = await v.agent
      .post('/apply/who-is-applying')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=klingon')
      .send(`_csrf=${encodeURIComponent(token)}&applyingAs=self`);
    expect(charset.status).toBeGreaterThanOrEqual(400);
    expect(charset.status).toBeLessThan(500);
  });
});

describe('multipart bodies', () => {
  it('an upload far over the size limit gets the 413 page without being read into a form', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const big = Buffer.concat([pdf, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const response = await v.agent
      .post('/apply/consent-upload')
      .field('_csrf', token)
      .attach('consentFile', big, { filename: 'consent.pdf', contentType: 'application/pdf' });
    tooLargePage(response);
    expect(await query('SELECT id FROM upload')).toHaveLength(0);
  });

  it('a file just over the limit is explained on the upload page itself', async () => {
    const v = visitor(portal.app);
    const token = await reachUpload(v);
    const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024, 0x20)]);
    const response = await v.agent
      .post('/apply/consent-upload')
      .field('_csrf', token)
      .attach('consentFile', big, { filename: 'consent.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('The selected file must be smaller than 1MB');
    expect(await query('SELECT id FROM upload')).toHaveLength(0);
  });

  it('a multipart form with a field over the limit gets the 413 page, and the fields before it are not saved', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    const response = await v.agent
      .post('/apply/who-is-applying')
      .field('_csrf', token)
      .field('applyingAs', 'self')
      .field('padding', 'x'.repeat(30_000));
    tooLargePage(response);
    expect(await query('SELECT id FROM draft')).toHaveLength(0);
  });

  it('a multipart form with too many parts gets the 413 page, and nothing is saved', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    let form = v.agent.post('/apply/who-is-applying').field('_csrf', token).field('applyingAs', 'self');
    for (let i = 0; i < 60; i += 1) form = form.field(`extra${i}`, 'x');
    tooLargePage(await form);
    expect(await query('SELECT id FROM draft')).toHaveLength(0);
  });

  it('a malformed multipart body is refused, not a server error', async () => {
    const v = visitor(portal.app);
    await v.get('/apply/who-is-applying');
    for (const [type, body] of [
      ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="applyingAs"\r\n\r\nself'],
      ['multipart/form-data', '--xyz\r\n\r\n'],
      ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--xyz--\r\n'],
    ] as const) {
      const response = await v.agent.post('/apply/who-is-applying').set('Content-Type', type).send(body);
      expect(response.status, `${type}: ${body}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${type}: ${body}`).toBeLessThan(500);
      expect(response.text).not.toContain('Sorry, there is a problem with the service');
    }
    expect(portal.logs.join('\n')).not.toContain('"msg":"request failed"');
  });
});

describe('names of uploaded files are never trusted', () => {
  const hostileNames = [
    { filename: '../../etc/passwd.pdf', file: pdf, type: 'application/pdf' },
    { filename: '..\\..\\windows\\system32\\config.pdf', file: pdf, type: 'application/pdf' },
    { filename: '<script>alert("name")</script>.png', file: png, type: 'image/png' },
    { filename: '"><img src=x onerror=alert(1)>.png', file: png, type: 'image/png' },
    { filename: 'consent\r\nContent-Type: text/html\r\n\r\n<b>x</b>.pdf', file: pdf, type: 'application/pdf' },
    { filename: '/var/lib/postgresql/data/base/1/pg_filenode.map', file: pdf, type: 'application/pdf' },
  ];

  it.each(hostileNames)(
    '$filename: stored under a name of our own; shown, downloaded and printed safely',
    async ({ filename, file, type }) => {
      const resident = visitor(portal.app);
      const token = await reachUpload(resident);
      const uploaded = await resident.agent
        .post('/apply/consent-upload?change=1')
        .field('_csrf', token)
        .attach('consentFile', file, { filename, contentType: type });
      expect(uploaded.status).toBe(303);

      const stored = await query<{ file_name: string }>('SELECT file_name FROM upload');
      expect(stored.map((row) => row.file_name)).toEqual([`signed-consent-form.${type === 'image/png' ? 'png' : 'pdf'}`]);

      const check = await resident.get('/apply/check-answers');
      const shown =
        /<dt class="govuk-summary-list__key">\s*Consent form\s*<\/dt>\s*<dd class="govuk-summary-list__value">([^<]*)<\/dd>/.exec(
          check.text,
        )?.[1];
      expect(shown, 'the file name on check your answers').toBeDefined();
      expect(shown).not.toMatch(/[/\\<>"]|\.\./);
      for (const page of [check.text, uploaded.text]) {
        expect(page).not.toContain('<script>alert');
        expect(page).not.toContain('<img src=x');
        expect(page).not.toContain('etc/passwd');
      }

      const { response } = await send(resident);
      expect(response.headers.location).toBe('/apply/confirmation');
      const [row] = await query<{ reference: string }>('SELECT reference FROM "case"');
      const officer = await createOfficer(portal, 'officer', `officer-${Math.random().toString(36).slice(2)}@council.test`);
      const v = visitor(portal.app);
      await signIn(v, officer.email);
      const casePage = await v.get(`/admin/cases/${row?.reference ?? ''}`);
      expect(casePage.status).toBe(200);
      expect(casePage.text).not.toContain('<script>alert');
      expect(casePage.text).not.toContain('<img src=x');
      expect(casePage.text).not.toContain('passwd');
      const download = await v.get(`/admin/cases/${row?.reference ?? ''}/consent-file`);
      expect(download.status).toBe(200);
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="signed-consent-form\.(pdf|png)"$/);
      expect(download.headers['content-type']).toBe(type);
    },
  );

  it('a name given in the RFC 5987 form (filename*, which wins over filename) is not trusted either', async () => {
    const resident = visitor(portal.app);
    const token = await reachUpload(resident);
    const boundary = 'fuzzboundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="consentFile"; filename="consent.png"; filename*=UTF-8''..%2F..%2F%3Cscript%3Ealert%281%29%3C%2Fscript%3E.png\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await resident.agent
      .post('/apply/consent-upload?change=1')
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(uploaded.status, /govuk-error-message">[\s\S]*?<\/span>([^<]*)/.exec(uploaded.text)?.[1]).toBe(303);
    const check = await resident.get('/apply/check-answers');
    expect(check.text).not.toContain('<script>alert');
    expect(check.text).not.toContain('../');
    expect((await query<{ file_name: string }>('SELECT file_name FROM upload')).map((row) => row.file_name)).toEqual([
      'signed-consent-form.png',
    ]);
  });

  it('an upload sent to a page that takes none is ignored', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    const response = await v.agent
      .post('/apply/who-is-applying')
      .field('_csrf', token)
      .field('applyingAs', 'self')
      .attach('consentFile', pdf, { filename: '../../evil.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(303);
    expect(await query('SELECT id FROM upload')).toHaveLength(0);
  });
});

describe('field names', () => {
  it('names that would reach Object.prototype through a nested body pollute nothing', async () => {
    const v = visitor(portal.app);
    const token = csrfTokenFrom((await v.get('/apply/who-is-applying')).text);
    const multipart = await v.agent
      .post('/apply/who-is-applying')
      .field('_csrf', token)
      .field('__proto__[polluted]', 'yes')
      .field('constructor[prototype][polluted]', 'yes')
      .field('applyingAs', 'self');
    const urlencoded = await v.agent
      .post('/apply/who-is-applying')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&__proto__[polluted]=yes&applyingAs=self`);
    expect([multipart.status, urlencoded.status]).toEqual([303, 303]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('no request body at all', () => {
  it('a POST with no body and no type is refused by CSRF, not a crash', async () => {
    const response = await request(portal.app).post('/apply/who-is-applying');
    expect(response.status).toBe(403);
  });
});
