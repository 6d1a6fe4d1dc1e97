import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { southDerbyshire, type Council } from '../../src/council.ts';
import { checkPage, publicPages } from '../../src/routes/public/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

const smtp = new TestSmtpServer();
let portal: TestApp;
let otherPortal: TestApp;
let configDir: string;

/** Another council, configured differently, to prove nothing council-specific is hard-coded. */
const testshire: Council = {
  ...southDerbyshire,
  name: 'Testshire Borough Council',
  partnershipName: 'Safer Testshire Partnership',
  serviceName: 'Ask for an ASB Case Review in Testshire',
  contact: {
    name: 'Sam Officer',
    role: 'Community Safety Officer',
    team: 'Safer Communities',
    address: ['Testshire Borough Council', 'Town Hall', 'Testford', 'TE1 1ST'],
    phone: '01234 567890',
    email: 'asb@testshire.example',
  },
  reportAsbUrl: 'https://testshire.example/report-asb',
  complaintsUrl: 'https://testshire.example/complaints',
  pcc: {
    name: 'the Testshire Police and Crime Commissioner',
    appealUrl: 'https://pcc.testshire.example/appeals',
    appealWithinWorkingDays: 15,
  },
  threshold: {
    minimumIncidents: 2,
    windowMonths: 4,
    lateReportMonths: 1,
    singleHateIncidentMeets: true,
    householdsVariant: 5,
  },
  deadlines: { ...southDerbyshire.deadlines, acknowledgementWorkingDays: 3 },
  partnerAgencies: ['Testshire Police', 'Testshire Homes'],
  retentionMonths: 24,
};

const allPages = [...publicPages, checkPage];
const h1Count = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length;
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
const checkedValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`name="${name}" type="radio" value="([^"]+)" checked`, 'g'))].map((match) => match[1]);

beforeAll(async () => {
  await smtp.start();
  portal = createTestApp({ smtp, worker: false });
  configDir = mkdtempSync(path.join(tmpdir(), 'council-'));
  const file = path.join(configDir, 'testshire.json');
  writeFileSync(file, JSON.stringify(testshire));
  otherPortal = createTestApp({
    smtp,
    worker: false,
    env: { COUNCIL_CONFIG_FILE: file },
  });
});
afterAll(async () => {
  await portal.close();
  await otherPortal.close();
  await smtp.stop();
  rmSync(configDir, { recursive: true, force: true });
});

describe.each(allPages)('GET $path', (page) => {
  it('renders the page with one h1, its own title and no cookie', async () => {
    const res = await request(portal.app).get(page.path);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(h1Count(res.text)).toBe(1);
    expect(res.text).toContain(`<title>${page.title} - ${southDerbyshire.serviceName} - ${southDerbyshire.name}</title>`);
    // Reading an information page needs no session: the only cookie is set when a form needs it.
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('links only to pages that exist (the application aside)', async () => {
    const res = await request(portal.app).get(page.path);
    const internal = hrefs(res.text).filter(
      (href) => href.startsWith('/') && !href.startsWith('/apply/') && !href.startsWith('/assets/'),
    );
    for (const href of new Set(internal)) {
      const target = await request(portal.app).get(href.split('#')[0] ?? href);
      expect(target.status, `${page.path} links to ${href}`).toBe(200);
    }
    for (const anchor of hrefs(res.text).filter((href) => href.startsWith('#'))) {
      expect(res.text, `${page.path} links to ${anchor}`).toContain(`id="${anchor.slice(1)}"`);
    }
  });

  it('shows only the configured council’s details', async () => {
    const res = await request(otherPortal.app).get(page.path);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Testshire Borough Council');
    for (const leak of ['Derbyshire', 'Swadlincote', 'Rawlins', '01283', 'southderbyshire']) {
      expect(res.text, `${page.path} mentions ${leak}`).not.toContain(leak);
    }
  });
});

describe('the start page', () => {
  it('explains the review and who can use it, from the council’s configuration', async () => {
    const res = await request(portal.app).get('/');
    expect(res.text).toContain('<h1 class="govuk-heading-xl">Apply for an Anti-Social Behaviour Case Review</h1>');
    expect(res.text).toContain('three or more related incidents of anti-social behaviour in the last six months');
    expect(res.text).toContain('within five working days');
    expect(res.text).toContain('If you are in immediate danger, call 999.');
    expect(res.text).toContain(southDerbyshire.pcc.name);
    expect(res.text).toContain(southDerbyshire.contact.phone);
    expect(res.text).not.toContain('motivated by hate');
    expect(res.text).not.toContain('separate households');
  });

  it('has a GOV.UK start button into the application and links to the check, guidance and help', async () => {
    const res = await request(portal.app).get('/');
    expect(res.text).toMatch(
      /<a href="\/apply\/who-is-applying" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">\s*Start now\s*<svg class="govuk-button__start-icon"/,
    );
    for (const href of ['/check-if-you-can-apply', '/when-not-to-use', '/report-asb', '/guidance', '/contact']) {
      expect(hrefs(res.text)).toContain(href);
    }
  });

  it('describes another council’s threshold and its local variants when switched on', async () => {
    const res = await request(otherPortal.app).get('/');
    expect(res.text).toContain('two or more related incidents of anti-social behaviour in the last four months');
    expect(res.text).toContain('motivated by hate');
    expect(res.text).toContain('five or more separate households');
    expect(res.text).toContain('within three working days');
  });
});

describe('check if you can apply', () => {
  it('offers the questions, with the incident answers from the council’s minimum', async () => {
    const res = await request(portal.app).get('/check-if-you-can-apply');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<form method="get" action="/check-if-you-can-apply" novalidate>');
    expect(res.text).not.toContain('name="_csrf"');
    expect(res.text).toContain('How many related incidents have you reported in the last six months?');
    expect(res.text).toMatch(/>None<\/label>[\s\S]*>1 or 2<\/label>[\s\S]*>3 or more<\/label>/);
    expect(res.text).not.toContain('govuk-error-summary');

    const other = await request(otherPortal.app).get('/check-if-you-can-apply');
    expect(other.text).toContain('in the last four months?');
    expect(other.text).toMatch(/>None<\/label>[\s\S]*>1<\/label>[\s\S]*>2 or more<\/label>/);
  });

  it.each([
    ['reported=yes&incidents=meets&aboutStaff=no', 'You can apply for an ASB Case Review'],
    ['reported=yes&incidents=below&aboutStaff=no', 'Your case may not meet the threshold yet'],
    ['reported=yes&incidents=none&aboutStaff=no', 'Your case may not meet the threshold yet'],
    ['reported=no&incidents=meets&aboutStaff=no', 'Report the anti-social behaviour first'],
    ['reported=yes&incidents=meets&aboutStaff=yes', 'Use the complaints procedure instead'],
    ['reported=no&incidents=none&aboutStaff=yes', 'Use the complaints procedure instead'],
  ])('?%s shows "%s", keeps the answers and still lets them apply', async (query, heading) => {
    const res = await request(portal.app).get(`/check-if-you-can-apply?${query}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h2 class="govuk-heading-m">${heading}</h2>`);
    expect(res.text).toContain('<a href="/" class="govuk-back-link">Back</a>');
    expect(hrefs(res.text)).toContain('/apply/who-is-applying');
    const params = new URLSearchParams(query);
    expect(checkedValues(res.text, 'reported')).toEqual([params.get('reported')]);
    expect(checkedValues(res.text, 'incidents')).toEqual([params.get('incidents')]);
    expect(checkedValues(res.text, 'aboutStaff')).toEqual([params.get('aboutStaff')]);
    expect(h1Count(res.text)).toBe(1);
  });

  it('points someone with a complaint to the complaints procedure and the ombudsmen', async () => {
    const res = await request(portal.app).get('/check-if-you-can-apply?reported=yes&incidents=meets&aboutStaff=yes');
    expect(hrefs(res.text)).toContain(southDerbyshire.complaintsUrl);
    expect(res.text).toContain('Local Government and Social Care Ombudsman');
    expect(res.text).toContain('Housing Ombudsman Service');
    expect(res.text).toContain('Independent Office for Police Conduct');
  });

  it('shows every missing answer with status 400 and keeps the ones given', async () => {
    const res = await request(portal.app).get('/check-if-you-can-apply?incidents=below');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Check if you can apply');
    expect(res.text).toContain('<a href="#reported">Select yes if you have reported the anti-social behaviour</a>');
    expect(res.text).toContain('<a href="#aboutStaff">Select yes if your concern is mainly about how staff treated you</a>');
    expect(res.text).not.toContain('href="#incidents"');
    expect(res.text).toContain('id="reported-error"');
    expect(res.text).toContain('id="aboutStaff-error"');
    expect(res.text).not.toContain('id="incidents-error"');
    expect(checkedValues(res.text, 'incidents')).toEqual(['below']);
    expect(res.text).not.toContain('govuk-inset-text');
    expect(res.text).toContain('<a href="/" class="govuk-back-link">Back</a>');
  });

  it('treats nonsense, repeated or empty answers as missing', async () => {
    const res = await request(portal.app).get('/check-if-you-can-apply?reported=maybe&reported=yes&incidents=&aboutStaff=no');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<a href="#reported">Select yes if you have reported the anti-social behaviour</a>');
    expect(res.text).toContain('<a href="#incidents">Select how many related incidents you have reported</a>');
    expect(checkedValues(res.text, 'reported')).toEqual([]);
    expect(checkedValues(res.text, 'aboutStaff')).toEqual(['no']);
  });

  it('does not accept "below" when one incident meets the threshold', async () => {
    const onceIsEnough = {
      ...testshire,
      threshold: { ...testshire.threshold, minimumIncidents: 1 },
    };
    const file = path.join(configDir, 'once.json');
    writeFileSync(file, JSON.stringify(onceIsEnough));
    const once = createTestApp({
      smtp,
      worker: false,
      env: { COUNCIL_CONFIG_FILE: file },
    });
    try {
      const blank = await request(once.app).get('/check-if-you-can-apply');
      expect(blank.text).not.toContain('value="below"');
      const res = await request(once.app).get('/check-if-you-can-apply?reported=yes&incidents=below&aboutStaff=no');
      expect(res.status).toBe(400);
      expect(res.text).toContain('<a href="#incidents">');
    } finally {
      await once.close();
    }
  });
});

describe('the information pages', () => {
  it('guidance has a contents list whose links reach its sections, and the council’s timescales', async () => {
    const res = await request(portal.app).get('/guidance');
    expect(res.text).toContain('aria-labelledby="contents-heading"');
    expect(res.text).toContain('counts once');
    for (const ground of ['prejudicial', 'discriminatory', 'malicious', 'unreasonable', 'vexatious']) {
      expect(res.text).toContain(`<li>${ground}</li>`);
    }
    expect(res.text).toMatch(/within five working days/);
    expect(hrefs(res.text)).toContain(southDerbyshire.pcc.appealUrl);
  });

  it('when not to use lists the complaint examples and links the council’s complaints page', async () => {
    const res = await request(portal.app).get('/when-not-to-use');
    expect(res.text).toContain('staff were rude or disrespectful to you');
    expect(res.text).toContain('the organisation did not follow its policy or procedure');
    expect(hrefs(res.text)).toContain(southDerbyshire.complaintsUrl);
  });

  it('report ASB links the council’s how-to-report page', async () => {
    const res = await request(portal.app).get('/report-asb');
    expect(hrefs(res.text)).toContain(southDerbyshire.reportAsbUrl);
    expect(res.text).toContain('101');
  });

  it('cookies names the one session cookie', async () => {
    const res = await request(portal.app).get('/cookies');
    expect(res.text).toContain('asb.sid');
    expect(res.text).toContain('After 60 minutes of inactivity');
  });

  it('privacy names the controller, the law and the retention period', async () => {
    const res = await request(otherPortal.app).get('/privacy');
    expect(res.text).toContain('Testshire Borough Council is the data controller');
    expect(res.text).toContain('section 104 of the Anti-social Behaviour, Crime and Policing Act 2014');
    expect(res.text).toContain('24 months (two years) after your case closes');
    expect(res.text).toContain('If you start an application and do not send it, we delete what you entered 28 days after you last changed it');
    expect(res.text).toContain('the Testshire Police and Crime Commissioner');
  });
});
