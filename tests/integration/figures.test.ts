import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, visitor, type TestApp } from '../helpers/app.ts';
import { query, truncateAll } from '../helpers/database.ts';
import { createOfficer, signIn } from '../helpers/officers.ts';
import { TestSmtpServer } from '../helpers/smtp.ts';

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

/** A case received at `receivedAt` (an instant), with the events the figures count. */
async function insertCase(
  receivedAt: string,
  status: string,
  events: {
    statusAt?: string;
    heldAt?: string;
    recommendation?: boolean;
    appeal?: { received: string; concluded?: string; upheld?: boolean };
  } = {},
) {
  const id = randomUUID();
  await query(
    `INSERT INTO "case" (id, reference, status, submission_key, received_at, acknowledgement_due_on, applying_on_behalf, victim_type, incidents_related,
       impact, hate_motivated, action_so_far, hoped_outcome, threshold_advice, threshold_met, updated_at)
     VALUES ($1, $2, $3, $4, $5::timestamptz, ($5::timestamptz AT TIME ZONE 'Europe/London')::date, false, 'person', 'yes', 'x', 'no', 'x', 'x', '{}', true, now())`,
    [id, `ASB-2025-${id.slice(0, 6).toUpperCase()}`, status, id, receivedAt],
  );
  await query(`INSERT INTO status_change (id, case_id, to_status, at) VALUES ($1, $2, 'received', $3)`, [randomUUID(), id, receivedAt]);
  if (events.statusAt)
    await query(`INSERT INTO status_change (id, case_id, to_status, at) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      id,
      status,
      events.statusAt,
    ]);
  if (events.heldAt) {
    await query(`INSERT INTO review (id, case_id, scheduled_for, victim_attendance, held_at) VALUES ($1, $2, $3, 'online', $3)`, [
      randomUUID(),
      id,
      events.heldAt,
    ]);
  }
  if (events.recommendation) {
    await query(`INSERT INTO recommendation (id, case_id, action, agency, due_on) VALUES ($1, $2, 'Patrols', 'Police', '2025-12-01')`, [
      randomUUID(),
      id,
    ]);
  }
  if (events.appeal) {
    await query(`INSERT INTO appeal (id, case_id, received_at, about, concluded_at, upheld) VALUES ($1, $2, $3, 'outcome', $4, $5)`, [
      randomUUID(),
      id,
      events.appeal.received,
      events.appeal.concluded ?? null,
      events.appeal.upheld ?? null,
    ]);
  }
}

/** The numbers in a year's table on the public page, in row order. */
function tableFor(html: string, caption: string): number[] {
  const table =
    new RegExp(`<caption[^>]*>${caption.replace('/', '\\/').replace(/[()]/g, '\\$&')}</caption>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...table.matchAll(/govuk-table__cell--numeric">(\d+)</g)].map((m) => Number(m[1]));
}

describe('the published figures', () => {
  it('counts each event in the financial year of its London date, on the page and in the CSV alike', async () => {
    // 31 March 2025 23:30 BST is still 2024/25; 1 April 2025 00:10 BST (23:10 UTC on 31 March) is 2025/26.
    await insertCase('2025-03-31T22:30:00Z', 'received');
    await insertCase('2025-03-31T23:10:00Z', 'received');
    // Received in March 2025, reviewed in May 2025 with recommendations: received 2024/25, review 2025/26.
    await insertCase('2025-03-15T10:00:00Z', 'review_held', { heldAt: '2025-05-10T10:00:00Z', recommendation: true });
    // A review held with no recommendations.
    await insertCase('2025-04-20T10:00:00Z', 'review_held', { heldAt: '2025-06-10T10:00:00Z' });
    await insertCase('2025-05-01T10:00:00Z', 'threshold_not_met', { statusAt: '2025-06-01T10:00:00Z' });
    // Rejected on grounds is not "threshold not met".
    await insertCase('2025-05-02T10:00:00Z', 'rejected', { statusAt: '2025-06-02T10:00:00Z' });
    // Withdrawn: still an application received.
    await insertCase('2025-09-01T10:00:00Z', 'withdrawn', { statusAt: '2025-09-05T10:00:00Z' });
    // Appeal received in 2025/26, upheld in 2026/27.
    await insertCase('2025-06-01T10:00:00Z', 'appeal_concluded', {
      appeal: { received: '2025-08-01T10:00:00Z', concluded: '2026-04-02T10:00:00Z', upheld: true },
    });
    // This year so far.
    await insertCase(new Date().toISOString(), 'received');

    const page = await visitor(portal.app).get('/figures');
    expect(page.status).toBe(200);
    //                                             received, not met, reviews, with recs, appeals, upheld
    expect(tableFor(page.text, '2024/25')).toEqual([2, 0, 0, 0, 0, 0]);
    expect(tableFor(page.text, '2025/26')).toEqual([6, 1, 2, 1, 1, 0]);
    expect(tableFor(page.text, '2026/27 (so far this year)')).toEqual([1, 0, 0, 0, 0, 1]);

    const csv = await visitor(portal.app).get('/figures.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'Financial year,Applications received,Applications that did not meet the threshold,ASB Case Reviews carried out,ASB Case Reviews where recommendations were made,Appeals received,Appeals upheld,Source',
    );
    expect(lines).toContain('2026/27 (to date),1,0,0,0,0,1,Counted from case records');
    expect(lines).toContain('2025/26,6,1,2,1,1,0,Counted from case records');
    expect(lines).toContain('2024/25,2,0,0,0,0,0,Counted from case records');
  });

  it('shows historic years an administrator entered, marked as such, and officers see the months', async () => {
    const admin = await createOfficer(portal, 'administrator');
    const v = visitor(portal.app);
    await signIn(v, admin.email);
    const bad = await v.submit('/admin/figures/historic', { financialYear: '2022-23', applicationsReceived: 'one' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the financial year like 2022/23');
    expect(bad.text).toContain('Applications received must be a whole number, like 0 or 12');
    const saved = await v.submit('/admin/figures/historic', {
      financialYear: '2022/23',
      applicationsReceived: '1',
      thresholdNotMet: '0',
      reviewsCarriedOut: '1',
      reviewsWithRecommendations: '1',
      appealsReceived: '1',
      appealsUpheld: '0',
    });
    expect(saved.status).toBe(303);
    await insertCase('2025-05-01T10:00:00Z', 'received');

    const page = await visitor(portal.app).get('/figures');
    expect(tableFor(page.text, '2022/23')).toEqual([1, 0, 1, 1, 1, 0]);
    expect(page.text).toContain('These figures were published before this service started and were entered by hand.');
    const csv = await visitor(portal.app).get('/figures.csv');
    expect(csv.text).toContain('2022/23,1,0,1,1,1,0,Published before this service (entered by hand)');

    const months = await v.get('/admin/figures?year=2025/26');
    expect(months.status).toBe(200);
    expect(months.text).toContain('May 2025');
    const audit = await query<{ action: string }>("SELECT action FROM audit_entry WHERE action = 'historic figures entered'");
    expect(audit).toHaveLength(1);
  });

  it('lets only administrators enter historic figures', async () => {
    const officer = await createOfficer(portal, 'officer');
    const v = visitor(portal.app);
    await signIn(v, officer.email);
    expect((await v.get('/admin/figures/historic')).status).toBe(403);
    expect((await v.get('/admin/figures')).status).toBe(200);
  });
});
