import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { londonDate, type IsoDate } from '../../src/domain/calendar-date.ts';
import { allowedActions, nextStatus, type CaseStatus } from '../../src/domain/case-status.ts';
import { generateReference } from '../../src/domain/reference.ts';
import { acknowledgementDueDate } from '../../src/domain/working-days.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/**
 * Inserts realistic cases straight into the database, at any status and date, for tests of the
 * officers' pages. Usage: `const { id, reference } = await insertCase(testDatabaseUrl, { status: 'acknowledged' })`.
 * Every case has a victim, incidents, threshold advice, the status changes that lead to its
 * status (a shortest path through the status machine) and the submission's audit entry.
 */
export interface CaseFixture {
  reference?: string;
  status?: CaseStatus;
  channel?: 'online' | 'paper' | 'phone' | 'email';
  /** Default: now for a received case; 45 days ago for a case at a later status. */
  receivedAt?: Date;
  /** Default: five working days after the London date received. */
  acknowledgementDueOn?: IsoDate;
  /** Default: the acknowledgement due date while the case is 'received', otherwise null. */
  nextDeadlineOn?: IsoDate | null;
  victim?: { name?: string; organisationName?: string | null; postcode?: string | null; email?: string | null; phone?: string | null };
  /** Someone applying on the victim's behalf (with a declaration of consent unless consentFile is given). */
  applicant?: { name: string; email?: string | null; relationship?: string } | null;
  /** A signed consent form stored as an upload (makes the case on-behalf when no applicant is given). */
  consentFile?: { fileName: string; mediaType: string; data: Buffer };
  /** Default 3. */
  incidents?: number;
  /** Default true. */
  thresholdMet?: boolean;
  /**
   * Adds a review meeting at this time. By default a case at review_scheduled gets one a week
   * ahead, and a case whose review was held gets one 30 days after receipt.
   */
  reviewScheduledFor?: Date;
  /** Who made the status changes after receipt (default: none recorded). */
  officerId?: string | null;
}

export interface InsertedCase {
  id: string;
  reference: string;
}

type Exec = (text: string, params: unknown[]) => Promise<void>;

/** The quickest way through the status machine from received to the wanted status. */
export function statusPath(target: CaseStatus): CaseStatus[] {
  const previous = new Map<CaseStatus, CaseStatus | null>([['received', null]]);
  const queue: CaseStatus[] = ['received'];
  while (queue.length > 0) {
    const current = queue.shift() as CaseStatus;
    if (current === target) break;
    for (const action of allowedActions(current)) {
      const result = nextStatus(current, action);
      if (result.ok && !previous.has(result.to)) {
        previous.set(result.to, current);
        queue.push(result.to);
      }
    }
  }
  const path: CaseStatus[] = [];
  for (let status: CaseStatus | null | undefined = target; status; status = previous.get(status)) path.unshift(status);
  return path;
}

const decided: Partial<Record<CaseStatus, string>> = { threshold_met: 'met', threshold_not_met: 'not-met', rejected: 'rejected' };

export async function insertCase(target: PrismaClient | string, overrides: CaseFixture = {}): Promise<InsertedCase> {
  const id = randomUUID();
  const status = overrides.status ?? 'received';
  const receivedAt = overrides.receivedAt ?? new Date(Date.now() - (status === 'received' ? 0 : 45 * 86_400_000));
  const reference = overrides.reference ?? generateReference(Number(londonDate(receivedAt).slice(0, 4)), (n) => randomBytes(n));
  const acknowledgementDueOn = overrides.acknowledgementDueOn ?? acknowledgementDueDate(receivedAt);
  const nextDeadlineOn =
    overrides.nextDeadlineOn !== undefined ? overrides.nextDeadlineOn : status === 'received' ? acknowledgementDueOn : null;
  const path = statusPath(status);
  const passed = (stage: CaseStatus) => path.includes(stage);
  const decision = path.map((stage) => decided[stage]).find((value) => value !== undefined) ?? null;
  const onBehalf = Boolean(overrides.applicant || overrides.consentFile);
  const thresholdMet = overrides.thresholdMet ?? true;
  const incidentCount = overrides.incidents ?? 3;
  const at = (minutes: number) => new Date(receivedAt.getTime() + minutes * 60_000).toISOString();
  const advice = {
    met: thresholdMet,
    countedIncidents: thresholdMet ? incidentCount : Math.min(incidentCount, 2),
    required: 3,
    reasons: [
      thresholdMet
        ? `${incidentCount} of your incidents were reported in the last six months; 3 are needed.`
        : `2 of your incidents were reported in the last six months; 3 are needed.`,
    ],
    flags: [],
    rule: 'count',
    windowStart: londonDate(receivedAt),
  };

  await withTransaction(target, async (exec) => {
    await exec(
      `INSERT INTO "case" (id, reference, status, channel, submission_key, received_at, acknowledgement_due_on, acknowledged_at, next_deadline_on,
         applying_on_behalf, victim_type, incidents_related, households_reporting, impact, vulnerability, hate_motivated, hate_types,
         action_so_far, hoped_outcome, threshold_advice, threshold_met, decision, decision_reason, decided_at, closed_at, updated_at)
       VALUES ($1::uuid, $2, $3::"CaseStatus", $4::"Channel", $5, $6::timestamptz, $7::date, $8::timestamptz, $9::date,
         $10::boolean, 'person', 'yes', NULL, 'We cannot sleep because of the noise.', NULL, 'no', '{}',
         'Reported to the council and the police.', 'For the noise to stop.', $11::jsonb, $12::boolean, $13, $14, $15::timestamptz, $16::timestamptz, now())`,
      [
        id,
        reference,
        status,
        overrides.channel ?? 'online',
        `fixture-${id}`,
        receivedAt.toISOString(),
        acknowledgementDueOn,
        passed('acknowledged') ? at(60) : null,
        nextDeadlineOn,
        onBehalf,
        JSON.stringify(advice),
        thresholdMet,
        decision,
        decision ? 'Recorded by the test fixture.' : null,
        decision ? at(120) : null,
        status === 'closed' ? at(600) : null,
      ],
    );
    const victim = overrides.victim ?? {};
    const victimName = victim.name ?? 'Alex Example';
    await exec(
      `INSERT INTO person (id, case_id, role, name, organisation_name, search_name, address_line_1, town, postcode, phone, email, preferred_contact)
       VALUES ($1::uuid, $2::uuid, 'victim', $3, $4, $5, '12 Civic Way', 'Swadlincote', $6, $7, $8, 'email')`,
      [
        randomUUID(),
        id,
        victimName,
        victim.organisationName ?? null,
        [victimName, victim.organisationName].filter(Boolean).join(' ').toLowerCase(),
        victim.postcode === undefined ? 'DE11 0AH' : victim.postcode,
        victim.phone === undefined ? '07700 900982' : victim.phone,
        victim.email === undefined ? 'alex@example.test' : victim.email,
      ],
    );
    if (onBehalf) {
      const applicant = overrides.applicant ?? { name: 'Sam Helper' };
      await exec(
        `INSERT INTO person (id, case_id, role, name, search_name, email, relationship) VALUES ($1::uuid, $2::uuid, 'applicant', $3, $4, $5, $6)`,
        [randomUUID(), id, applicant.name, applicant.name.toLowerCase(), applicant.email ?? null, applicant.relationship ?? 'Daughter'],
      );
      let uploadId: string | null = null;
      if (overrides.consentFile) {
        uploadId = randomUUID();
        const file = overrides.consentFile;
        await exec(
          `INSERT INTO upload (id, case_id, file_name, media_type, size, data) VALUES ($1::uuid, $2::uuid, $3, $4, $5::int, decode($6, 'hex'))`,
          [uploadId, id, file.fileName, file.mediaType, file.data.length, file.data.toString('hex')],
        );
      }
      await exec(
        `INSERT INTO consent (id, case_id, method, declared, how_to_confirm, upload_id) VALUES ($1::uuid, $2::uuid, $3, $4::boolean, $5, $6::uuid)`,
        [randomUUID(), id, uploadId ? 'upload' : 'declaration', !uploadId, uploadId ? null : 'Call the victim after 6pm', uploadId],
      );
    }
    for (let position = 1; position <= incidentCount; position += 1) {
      const occurred = new Date(receivedAt.getTime() - (position * 10 + 2) * 86_400_000);
      const reported = new Date(receivedAt.getTime() - position * 10 * 86_400_000);
      await exec(
        `INSERT INTO incident (id, case_id, position, occurred_on, description, location, reported_to, reported_on, reference)
         VALUES ($1::uuid, $2::uuid, $3::int, $4::date, $5, 'Outside 12 Civic Way', ARRAY['council', 'police'], $6::date, $7)`,
        [
          randomUUID(),
          id,
          position,
          londonDate(occurred),
          `Shouting and banging at night, time ${position}`,
          londonDate(reported),
          `CR-${position}`,
        ],
      );
    }
    for (const [index, stage] of path.entries()) {
      const from = index === 0 ? null : (path[index - 1] ?? null);
      await exec(
        `INSERT INTO status_change (id, case_id, from_status, to_status, reason, officer_id, at)
         VALUES ($1::uuid, $2::uuid, $3::"CaseStatus", $4::"CaseStatus", $5, $6::uuid, $7::timestamptz)`,
        [
          randomUUID(),
          id,
          from,
          stage,
          from === null ? `Application received (${overrides.channel ?? 'online'})` : null,
          from === null ? null : (overrides.officerId ?? null),
          at(index * 60),
        ],
      );
    }
    await exec(
      `INSERT INTO audit_entry (id, case_id, actor, action, at) VALUES ($1::uuid, $2::uuid, 'public', 'application submitted online', $3::timestamptz)`,
      [randomUUID(), id, receivedAt.toISOString()],
    );
    const reviewAt =
      overrides.reviewScheduledFor ??
      (passed('review_held')
        ? new Date(receivedAt.getTime() + 30 * 86_400_000)
        : passed('review_scheduled')
          ? new Date(Date.now() + 7 * 86_400_000)
          : null);
    if (reviewAt) {
      await exec(
        `INSERT INTO review (id, case_id, scheduled_for, agencies_invited, victim_attendance, held_at) VALUES ($1::uuid, $2::uuid, $3::timestamptz, ARRAY['Derbyshire Constabulary'], 'in-person', $4::timestamptz)`,
        [randomUUID(), id, reviewAt.toISOString(), passed('review_held') ? reviewAt.toISOString() : null],
      );
      await exec(`UPDATE "case" SET next_review_at = $2::timestamptz WHERE id = $1::uuid`, [id, reviewAt.toISOString()]);
    }
    if (passed('appeal_received')) {
      await exec(
        `INSERT INTO appeal (id, case_id, received_at, about, result, upheld, concluded_at) VALUES ($1::uuid, $2::uuid, $3::timestamptz, 'outcome', $4, $5::boolean, $6::timestamptz)`,
        [
          randomUUID(),
          id,
          at(path.indexOf('appeal_received') * 60),
          passed('appeal_concluded') ? 'Not upheld' : null,
          passed('appeal_concluded') ? false : null,
          passed('appeal_concluded') ? at(path.indexOf('appeal_concluded') * 60) : null,
        ],
      );
    }
  });
  return { id, reference };
}

async function withTransaction(target: PrismaClient | string, work: (exec: Exec) => Promise<void>): Promise<void> {
  if (typeof target !== 'string') {
    await target.$transaction(async (tx) => {
      await work(async (text, params) => {
        await tx.$executeRawUnsafe(text, ...params);
      });
    });
    return;
  }
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    await client.query('BEGIN');
    await work(async (text, params) => {
      await client.query(text, params);
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
