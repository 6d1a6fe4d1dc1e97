// npm run db:seed -- --cases 100000 [--seed 1] [--today 2026-11-25] [--batch 2000]
// Fills the Postgres database in DATABASE_URL with realistic, made-up cases for development and
// load testing: every status of the machine, five years of receipt dates (Europe/London), 1-8
// incidents each, victims (and applicants with consent), status changes consistent with the
// status, reviews, recommendations, appeals, emails and notes. The same --seed (and --today)
// gives the same cases. Rows go in as batched multi-row INSERTs (json_populate_recordset), one
// transaction per batch. Refuses to run without DATABASE_URL or with NODE_ENV=production.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TZDate } from '@date-fns/tz';
import pg from 'pg';
import { openDatabase } from '../data/database.ts';
import { migrate } from '../data/migrate.ts';
import { addCalendarDays, compareIsoDates, councilTimeZone, isIsoDate, londonDate, type IsoDate } from '../domain/calendar-date.ts';
import type { CaseStatus } from '../domain/case-status.ts';
import { generateReference } from '../domain/reference.ts';
import { assessThreshold, type Agency } from '../domain/threshold.ts';
import { addWorkingDays, defaultAcknowledgementWorkingDays } from '../domain/working-days.ts';

// ---------------------------------------------------------------------------------------------
// Arguments and guards

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    today: { type: 'string' },
    batch: { type: 'string', default: '2000' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL;
if (process.env.NODE_ENV === 'production')
  fail('Refusing to seed: NODE_ENV is production. The seed makes up cases; never run it on live data.');
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  fail(
    'Set DATABASE_URL to the Postgres database to fill, for example DATABASE_URL=postgresql://postgres@127.0.0.1:5432/asb_dev npm run db:seed -- --cases 1000',
  );
}
const caseCount = Number(values.cases);
const seed = Number(values.seed);
const batchSize = Number(values.batch);
if (!Number.isInteger(caseCount) || caseCount < 1) fail('--cases must be a whole number, 1 or more');
if (!Number.isInteger(seed)) fail('--seed must be a whole number');
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) fail('--batch must be between 1 and 5000');
if (values.today !== undefined && !isIsoDate(values.today)) fail('--today must be a date like 2026-11-25');

// ---------------------------------------------------------------------------------------------
// A seeded random source (sfc32): the same seed gives the same cases.

function seededRandom(seedValue: number) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seedValue >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i += 1) next();
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** One of the keys, with the chance of each proportional to its weight. */
    weighted: <T extends string>(weights: Readonly<Record<T, number>>): T => {
      const entries = Object.entries(weights) as Array<[T, number]>;
      let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return (entries[entries.length - 1] as [T, number])[0];
    },
    bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
  };
}
type Random = ReturnType<typeof seededRandom>;

// ---------------------------------------------------------------------------------------------
// Made-up people, places and stories

const firstNames =
  'Alex Sam Jordan Priya Mohammed Olivia George Amelia Harry Isla Jack Ava Noah Mia Leo Grace Oscar Freya Arthur Lily Aisha Tomasz Agnieszka Chidi Ngozi Ravi Sunita Declan Siobhan Gareth Bethan Hamza Fatima Wei Mei Kwame Abena Stanley Maureen Derek Pauline Keith Janet'.split(
    ' ',
  );
const lastNames =
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White Roberts Green Hall Khan Lewis Harris Clarke Jackson Wood Turner Hill Cooper Ward Morris Moore Begum Nowak Kowalski Okafor Mensah Singh Kaur O’Brien Murphy Chen Ali'.split(
    ' ',
  );
const streets =
  'Civic Way, High Street, Church Street, Station Road, Midland Road, Alexandra Road, Hill Street, Belmont Street, Coppice Side, Woodville Road, Burton Road, Ashby Road, Derby Road, Newhall Road, Springfield Road, Main Street'.split(
    ', ',
  );
const towns = [
  'Swadlincote',
  'Melbourne',
  'Hilton',
  'Aston-on-Trent',
  'Etwall',
  'Woodville',
  'Newhall',
  'Hatton',
  'Repton',
  'Overseal',
] as const;
const outwardCodes = ['DE11', 'DE12', 'DE65', 'DE73', 'DE74'] as const;
const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ';
const businesses = ['Corner Shop', 'Community Café', 'Hair Studio', 'Garage', 'Pharmacy', 'Takeaway'] as const;
const groups = ['Residents’ Association', 'Allotment Society', 'Youth Club', 'Tenants’ Group'] as const;
const behaviours = [
  'Loud music and shouting late at night',
  'Young people gathering and throwing stones at windows',
  'Neighbour’s dog barking and left in the garden all day',
  'Rubbish dumped in the shared alley',
  'Threats shouted across the street',
  'Cars revving and racing on the estate',
  'Drug dealing from the flat below',
  'Graffiti sprayed on the garden fence',
  'Verbal abuse when leaving the house',
  'Fireworks set off outside the front door',
  'Banging on the walls through the night',
  'Motorbikes ridden across the playing field',
] as const;
const places = [
  'Outside the house',
  'In the communal stairwell',
  'On the street outside',
  'In the back alley',
  'In the car park',
  'At the shop front',
] as const;
const impacts = [
  'We cannot sleep and the children are frightened.',
  'I no longer feel safe leaving my home after dark.',
  'My health has got worse and I have had time off work.',
  'Customers have stopped coming to the shop.',
  'My elderly mother is anxious all the time.',
] as const;
const actions = [
  'Reported to the council and the police several times; a warning letter was sent.',
  'Reported to the housing association, who said they would visit.',
  'Police attended twice but nothing changed.',
  'Kept a diary and reported every incident to the council.',
] as const;
const hopes = [
  'For the noise to stop.',
  'To feel safe at home again.',
  'For the agencies to work together and take action.',
  'For the behaviour to end.',
] as const;
const officerNames = ['Claire Rawlins', 'Dev Sharma', 'Hannah Price', 'Marcus Green'] as const;
const agencies = [
  'Derbyshire Constabulary',
  'South Derbyshire District Council Housing',
  'South Derbyshire District Council Environmental Health',
  'Derbyshire County Council Adult Social Care',
  'Registered housing providers',
] as const;
const recommendationActions = [
  'Visit the household and agree a support plan',
  'Install CCTV covering the shared alley',
  'Issue a community protection warning',
  'Refer the victim to victim support services',
  'Carry out noise monitoring for two weeks',
  'Hold a multi-agency problem-solving meeting',
] as const;
const rejectionGrounds = ['prejudicial', 'discriminatory', 'malicious', 'unreasonable', 'vexatious'] as const;
const hateTypes = ['disability', 'race', 'religion', 'sexual-orientation', 'transgender-identity'] as const;
const tinyPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** bytea input text for JSON rows. */
const tinyPdfHex = `\\x${tinyPdf.toString('hex')}`;

// ---------------------------------------------------------------------------------------------
// Rows, as objects keyed by column name (json_populate_recordset fills the rest with defaults)

type Row = Record<string, unknown>;
const tables = [
  'case',
  'person',
  'upload',
  'consent',
  'incident',
  'status_change',
  'note',
  'audit_entry',
  'outbox_message',
  'information_request',
  'review',
  'recommendation',
  'appeal',
] as const;
type Table = (typeof tables)[number];
type Batch = Record<Table, Row[]>;
const emptyBatch = (): Batch => Object.fromEntries(tables.map((table) => [table, []])) as unknown as Batch;

interface SeedContext {
  random: Random;
  now: Date;
  earliest: number;
  officerIds: string[];
  references: Set<string>;
}

// Date helpers memoised for speed: a hundred thousand cases make millions of date calculations,
// over only a few thousand distinct days. London is UTC+0 or UTC+1, changing in the small hours.
const londonOffsets = new Map<number, number>();
/** London's offset from UTC, in milliseconds, during the UTC hour containing the instant. */
function londonOffset(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let offset = londonOffsets.get(hour);
  if (offset === undefined) {
    const local = new TZDate(hour * 3_600_000, councilTimeZone);
    offset = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate(), local.getHours()) - hour * 3_600_000;
    londonOffsets.set(hour, offset);
  }
  return offset;
}

/** The London calendar date of an instant (same answer as londonDate, cached). */
function londonDay(instant: Date): IsoDate {
  return new Date(instant.getTime() + londonOffset(instant.getTime())).toISOString().slice(0, 10);
}

/** An instant at a London wall-clock time (daytime, away from the clock changes) on a calendar date. */
function londonInstant(date: IsoDate, hour: number, minute: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute);
  return new Date(wallClock - londonOffset(wallClock));
}

const workingDayCache = new Map<string, IsoDate>();
function workingDaysAfter(date: IsoDate, days: number): IsoDate {
  const key = `${date}+${days}`;
  let result = workingDayCache.get(key);
  if (result === undefined) {
    result = addWorkingDays(date, days);
    workingDayCache.set(key, result);
  }
  return result;
}

function makeCase(context: SeedContext, batch: Batch): CaseStatus {
  const { random, now } = context;
  const id = randomUUID();
  const receivedAt = new Date(context.earliest + random.next() * (now.getTime() - context.earliest));
  const receivedOn = londonDay(receivedAt);
  let reference = generateReference(Number(receivedOn.slice(0, 4)), random.bytes);
  while (context.references.has(reference)) reference = generateReference(Number(receivedOn.slice(0, 4)), random.bytes);
  context.references.add(reference);
  const officer = () => random.pick(context.officerIds);
  const channel = random.weighted({ online: 70, paper: 12, phone: 12, email: 6 });
  const onBehalf = random.chance(0.25);
  const victimType = random.weighted({ person: 88, business: 7, group: 5 });

  // People
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const victimName = `${first} ${last}`;
  const organisationName =
    victimType === 'business'
      ? `${last}’s ${random.pick(businesses)}`
      : victimType === 'group'
        ? `${random.pick(towns)} ${random.pick(groups)}`
        : null;
  const victimEmail = random.chance(0.75)
    ? `${first}.${last}${random.int(1, 999)}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '')
    : null;
  batch.person.push({
    id: randomUUID(),
    case_id: id,
    role: 'victim',
    name: victimName,
    organisation_name: organisationName,
    search_name: [victimName, organisationName].filter(Boolean).join(' ').toLowerCase(),
    address_line_1: `${random.int(1, 180)} ${random.pick(streets)}`,
    town: random.pick(towns),
    postcode: `${random.pick(outwardCodes)} ${random.int(0, 9)}${random.pick([...inwardLetters])}${random.pick([...inwardLetters])}`,
    date_of_birth: victimType === 'person' && random.chance(0.6) ? addCalendarDays(receivedOn, -random.int(18 * 365, 90 * 365)) : null,
    phone: random.chance(0.85) ? `07700 9${String(random.int(0, 99999)).padStart(5, '0')}` : null,
    email: victimEmail,
    preferred_contact: victimEmail ? random.pick(['email', 'phone', 'letter']) : random.pick(['phone', 'letter']),
    safe_times: random.chance(0.3) ? 'Weekday evenings after 6pm' : null,
    needs: random.chance(0.08) ? random.pick(['Large print letters', 'A Polish interpreter', 'British Sign Language']) : null,
  });
  let applicantEmail: string | null = null;
  if (onBehalf) {
    const helperFirst = random.pick(firstNames);
    const helperLast = random.pick(lastNames);
    const helperName = `${helperFirst} ${helperLast}`;
    applicantEmail = random.chance(0.8)
      ? `${helperFirst}.${helperLast}@helpers.example.org`.toLowerCase().replace(/[^a-z0-9.@]/g, '')
      : null;
    batch.person.push({
      id: randomUUID(),
      case_id: id,
      role: 'applicant',
      name: helperName,
      search_name: helperName.toLowerCase(),
      email: applicantEmail,
      phone: random.chance(0.5) ? `07700 9${String(random.int(0, 99999)).padStart(5, '0')}` : null,
      relationship: random.pick(['Daughter', 'Son', 'Carer', 'Support worker', 'Ward councillor', 'Neighbour']),
      organisation: random.chance(0.3) ? random.pick(['Citizens Advice', 'Age UK', 'Victim Support']) : null,
    });
    const upload = random.chance(0.2);
    const uploadId = upload ? randomUUID() : null;
    if (uploadId) {
      batch.upload.push({
        id: uploadId,
        case_id: id,
        file_name: 'signed-consent-form.pdf',
        media_type: 'application/pdf',
        size: tinyPdf.length,
        data: tinyPdfHex,
        created_at: receivedAt,
      });
    }
    batch.consent.push({
      id: randomUUID(),
      case_id: id,
      method: upload ? 'upload' : 'declaration',
      declared: !upload,
      how_to_confirm: upload ? null : `Phone ${first} on a weekday evening`,
      upload_id: uploadId,
    });
  }

  // Incidents and the threshold advice given at submission
  const incidentCount = random.weighted({ 1: 6, 2: 10, 3: 22, 4: 20, 5: 16, 6: 12, 7: 8, 8: 6 });
  const incidents: Array<{
    occurredOn: IsoDate;
    reportedOn: IsoDate | null;
    reportedTo: Agency[];
    approximate: boolean;
    description: string;
    location: string;
  }> = [];
  for (let position = 1; position <= Number(incidentCount); position += 1) {
    const occurredOn = addCalendarDays(receivedOn, -random.int(1, 220));
    const reportedTo: Agency[] = random.chance(0.05)
      ? []
      : (['council', 'police', 'landlord', 'other'] as const).filter((_, i) => random.chance(i === 0 ? 0.7 : 0.3));
    // Most are reported within days; some weeks later (the threshold flags those over a month).
    const delay = Number(random.weighted({ 0: 40, 1: 25, 7: 20, 40: 15 })) + random.int(0, 3);
    const reported = reportedTo.length ? addCalendarDays(occurredOn, delay) : null;
    const reportedOn = reported && compareIsoDates(reported, receivedOn) > 0 ? receivedOn : reported;
    incidents.push({
      occurredOn,
      reportedOn,
      reportedTo,
      approximate: random.chance(0.15),
      description: random.pick(behaviours),
      location: random.pick(places),
    });
  }
  const incidentsRelated = random.weighted({ yes: 80, 'not-sure': 12, no: 8 });
  const hateMotivated = random.weighted({ no: 85, yes: 8, 'not-sure': 7 });
  const householdsReporting = random.chance(0.3) ? random.int(1, 6) : null;
  const advice = assessThreshold({
    applicationDate: receivedOn,
    incidents: incidents.map((incident) => ({
      occurredOn: incident.occurredOn,
      occurredOnApproximate: incident.approximate,
      reportedTo: incident.reportedTo,
      reportedOn: incident.reportedOn,
      description: incident.description,
      location: incident.location,
    })),
    incidentsRelated,
    hateMotivated,
    householdsReporting,
  });
  incidents.forEach((incident, index) =>
    batch.incident.push({
      id: randomUUID(),
      case_id: id,
      position: index + 1,
      occurred_on: incident.occurredOn,
      occurred_on_approximate: incident.approximate,
      description: incident.description,
      location: incident.location,
      reported_to: incident.reportedTo,
      reported_to_other: incident.reportedTo.includes('other') ? 'The housing association' : null,
      reported_on: incident.reportedOn,
      reference:
        incident.reportedTo.includes('police') && random.chance(0.6) ? `CR/${random.int(10000, 99999)}/${receivedOn.slice(2, 4)}` : null,
    }),
  );

  // The case's life, step by step, stopping at "now" (or earlier, for a case left waiting).
  const acknowledgementDueOn = workingDaysAfter(receivedOn, defaultAcknowledgementWorkingDays);
  const row: Row = {
    id,
    reference,
    channel,
    submission_key: `seed-${id}`,
    received_at: receivedAt,
    acknowledgement_due_on: acknowledgementDueOn,
    applying_on_behalf: onBehalf,
    victim_type: victimType,
    incidents_related: incidentsRelated,
    households_reporting: householdsReporting,
    impact: random.pick(impacts),
    vulnerability: random.chance(0.2)
      ? random.pick(['Has a long-term illness', 'Lives alone and is over 80', 'Has a learning disability'])
      : null,
    hate_motivated: hateMotivated,
    hate_types: hateMotivated === 'yes' ? [random.pick(hateTypes)] : [],
    action_so_far: random.pick(actions),
    hoped_outcome: random.pick(hopes),
    threshold_advice: advice,
    threshold_met: advice.met,
    created_at: receivedAt,
    updated_at: receivedAt,
  };
  const staffChannel = channel !== 'online';
  const enteredBy = staffChannel ? officer() : null;
  batch.audit_entry.push({
    id: randomUUID(),
    case_id: id,
    officer_id: enteredBy,
    actor: staffChannel ? 'officer' : 'public',
    action: staffChannel ? `application entered by an officer (${channel})` : 'application submitted online',
    at: receivedAt,
  });
  const email = (kind: string, to: string | null, subject: string, at: Date) => {
    if (!to || at > now) return;
    const failed = now.getTime() - at.getTime() < 60 * 86_400_000 && random.chance(0.01);
    batch.outbox_message.push({
      id: randomUUID(),
      case_id: id,
      kind,
      to,
      subject: `${subject} (${reference})`,
      text: `${subject}.`,
      html: `<p>${subject}.</p>`,
      status: failed ? 'failed' : 'sent',
      attempts: failed ? 8 : 1,
      next_attempt_at: at,
      last_error: failed ? '550 Mailbox unavailable' : null,
      sent_at: failed ? null : new Date(at.getTime() + 60_000),
      created_at: at,
    });
  };
  const applicantAddress = onBehalf ? applicantEmail : victimEmail;
  email('acknowledgement', applicantAddress, 'We have received your application for an ASB Case Review', receivedAt);
  email('new-application', 'asb-officers@localhost', 'New ASB Case Review application', receivedAt);

  let status = 'received' as CaseStatus;
  let at = receivedAt;
  let steps = 0;
  const recentlyReceived = now.getTime() - receivedAt.getTime() < 200 * 86_400_000;
  let nextDeadline: IsoDate | null = acknowledgementDueOn;
  const move = (to: CaseStatus, when: Date, reason: string | null) => {
    batch.status_change.push({
      id: randomUUID(),
      case_id: id,
      from_status: status,
      to_status: to,
      reason,
      officer_id: officer(),
      at: when,
    });
    status = to;
    at = when;
    steps += 1;
  };
  /** A time in office hours some working days after the last step (and always after it). */
  const later = (minWorkingDays: number, maxWorkingDays: number) => {
    const when = londonInstant(
      workingDaysAfter(londonDay(at), random.int(minWorkingDays, maxWorkingDays)),
      random.int(9, 16),
      random.int(0, 59),
    );
    return when > at ? when : new Date(at.getTime() + random.int(5, 120) * 60_000);
  };
  batch.status_change.push({
    id: randomUUID(),
    case_id: id,
    from_status: null,
    to_status: 'received',
    reason: `Application received (${channel})`,
    officer_id: enteredBy,
    at: receivedAt,
  });
  let reviewAt: Date | null = null;
  let review: Row | null = null;
  let appeal: Row | null = null;
  let upheld = false;

  while (status !== 'closed' && status !== 'withdrawn' && steps < 14) {
    // Recent cases are sometimes left waiting at a step, so dashboards have overdue work.
    if (recentlyReceived && random.chance(0.07)) break;
    if (status === 'received' || status === 'acknowledged') {
      const when = status === 'received' ? later(0, 5) : later(2, 12);
      if (when > now) break;
      if (random.chance(0.02)) {
        move('withdrawn', when, 'The applicant asked to withdraw the application');
        row.closed_at = when;
        row.closure_reason = 'Withdrawn by the applicant';
        continue;
      }
      if (status === 'received' && random.chance(0.9)) {
        move('acknowledged', when, null);
        row.acknowledged_at = when;
        row.spoc_officer_id = officer();
        email('acknowledgement-letter', applicantAddress, 'Your ASB Case Review application has been acknowledged', when);
        nextDeadline = workingDaysAfter(londonDay(when), 10);
        continue;
      }
      row.acknowledged_at ??= when;
      row.spoc_officer_id ??= officer();
      const outcome = advice.met
        ? random.weighted({ met: 85, not_met: 10, rejected: 5 })
        : random.weighted({ not_met: 80, met: 15, rejected: 5 });
      const to: CaseStatus = outcome === 'met' ? 'threshold_met' : outcome === 'not_met' ? 'threshold_not_met' : 'rejected';
      const ground = outcome === 'rejected' ? random.pick(rejectionGrounds) : null;
      const reason =
        outcome === 'met'
          ? advice.met
            ? 'Three or more related incidents were reported in the last six months.'
            : 'Below the count, but the harm to a vulnerable victim justifies a review.'
          : outcome === 'not_met'
            ? 'Fewer than three related incidents were reported in the last six months.'
            : `The application was found to be ${ground ?? 'vexatious'}.`;
      move(to, when, reason);
      Object.assign(row, { decision: outcome === 'not_met' ? 'not-met' : outcome, decision_reason: reason, rejection_ground: ground, decided_at: when });
      email('decision', applicantAddress, 'The decision on your ASB Case Review application', when);
      nextDeadline = outcome === 'met' ? workingDaysAfter(londonDay(when), 25) : null;
      continue;
    }
    if (status === 'threshold_met' || (status === 'review_scheduled' && reviewAt && random.chance(0.05))) {
      const when = later(2, 8);
      if (when > now) break;
      reviewAt = londonInstant(workingDaysAfter(londonDay(when), random.int(8, 22)), random.pick([10, 14]), 0);
      const invited = agencies.filter(() => random.chance(0.6));
      review = {
        id: randomUUID(),
        case_id: id,
        scheduled_for: reviewAt,
        agencies_invited: invited.length ? invited : [agencies[0]],
        independent_chair: random.chance(0.2) ? 'Chair from a neighbouring partnership' : null,
        victim_attendance: random.pick(['in-person', 'online', 'not-attending', 'not-invited']),
        held_at: null,
        created_at: when,
      };
      batch.review.push(review);
      if (status === 'threshold_met') {
        for (const agency of invited) {
          const due = workingDaysAfter(londonDay(when), 10);
          const replied = random.chance(0.85) ? later(3, 12) : null;
          batch.information_request.push({
            id: randomUUID(),
            case_id: id,
            agency,
            requested_at: when,
            due_on: due,
            replied_at: replied && replied <= now ? replied : null,
            reply: replied && replied <= now ? 'Two visits made; one warning issued.' : null,
          });
        }
      }
      move('review_scheduled', when, status === 'review_scheduled' ? 'Rescheduled' : null);
      nextDeadline = londonDay(reviewAt);
      continue;
    }
    if (status === 'review_scheduled' && reviewAt) {
      if (reviewAt > now) break;
      if (random.chance(0.03)) {
        move('withdrawn', reviewAt, 'The victim no longer wants the review');
        row.closed_at = reviewAt;
        row.closure_reason = 'Withdrawn by the victim';
        continue;
      }
      if (review) review.held_at = reviewAt;
      for (let n = random.int(1, 4); n > 0; n -= 1) {
        batch.recommendation.push({
          id: randomUUID(),
          case_id: id,
          action: random.pick(recommendationActions),
          agency: random.pick(agencies),
          due_on: workingDaysAfter(londonDay(reviewAt), random.int(10, 40)),
          done: random.chance(0.5),
          victim_comments: random.chance(0.3) ? 'The victim agrees with this action.' : null,
          created_at: reviewAt,
        });
      }
      move('review_held', reviewAt, null);
      nextDeadline = workingDaysAfter(londonDay(reviewAt), 5);
      continue;
    }
    if (status === 'review_held') {
      const when = later(1, 6);
      if (when > now) break;
      move('outcome_sent', when, null);
      row.outcome_sent_at = when;
      email('outcome', applicantAddress, 'The outcome of your ASB Case Review', when);
      nextDeadline = null;
      continue;
    }
    if (status === 'outcome_sent' || status === 'threshold_not_met' || status === 'rejected') {
      const appealed = random.chance(status === 'outcome_sent' ? 0.12 : 0.15) && steps < 8;
      const when = appealed ? later(5, 20) : later(10, 25);
      if (when > now) break;
      if (appealed) {
        appeal = { id: randomUUID(), case_id: id, received_at: when, about: status === 'outcome_sent' ? 'outcome' : 'threshold-decision' };
        batch.appeal.push(appeal);
        move('appeal_received', when, 'The applicant appealed to the Police and Crime Commissioner');
        nextDeadline = workingDaysAfter(londonDay(when), 10);
      } else {
        move('closed', when, 'No further action');
        row.closed_at = when;
        row.closure_reason = 'Review complete';
        nextDeadline = null;
      }
      continue;
    }
    if (status === 'appeal_received') {
      const when = later(10, 30);
      if (when > now) break;
      upheld = random.chance(0.25);
      if (appeal)
        Object.assign(appeal, {
          result: upheld ? 'Sent back to be reconsidered' : 'The council’s decision stands',
          upheld,
          concluded_at: when,
        });
      move('appeal_concluded', when, upheld ? 'Appeal upheld' : 'Appeal not upheld');
      nextDeadline = null;
      continue;
    }
    if (status === 'appeal_concluded') {
      const when = later(1, 5);
      if (when > now) break;
      if (upheld) {
        move('acknowledged', when, 'Reopened after the appeal');
        nextDeadline = workingDaysAfter(londonDay(when), 10);
      } else {
        move('closed', when, 'Appeal concluded');
        row.closed_at = when;
        row.closure_reason = 'Appeal concluded';
        nextDeadline = null;
      }
      continue;
    }
    break;
  }
  row.status = status;
  row.next_deadline_on = status === 'closed' || status === 'withdrawn' ? null : nextDeadline;
  row.updated_at = at;
  batch.case.push(row);

  if (random.chance(0.2)) {
    for (let n = random.int(1, 2); n > 0; n -= 1) {
      const when = new Date(receivedAt.getTime() + random.next() * Math.max(at.getTime() - receivedAt.getTime(), 3_600_000));
      if (when <= now)
        batch.note.push({
          id: randomUUID(),
          case_id: id,
          officer_id: officer(),
          text: 'Phoned the victim to explain the next steps.',
          created_at: when,
        });
    }
  }
  return status;
}

// ---------------------------------------------------------------------------------------------
// Writing

async function insertBatch(pool: pg.Pool, batch: Batch): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const table of tables) {
      const rows = batch[table];
      if (rows.length === 0) continue;
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].map((column) => `"${column}"`).join(', ');
      await client.query(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [
        JSON.stringify(rows),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function seededOfficers(pool: pg.Pool): Promise<string[]> {
  // Disabled accounts with unusable password hashes: names on the timeline, never a way in.
  for (const [index, name] of officerNames.entries()) {
    await pool.query(
      `INSERT INTO officer (id, email, name, password_hash, role, disabled) VALUES ($1, $2, $3, '!seeded-account-cannot-sign-in', 'officer', true)
       ON CONFLICT (email) DO NOTHING`,
      [randomUUID(), `seeded-officer-${index + 1}@seed.invalid`, name],
    );
  }
  const { rows } = await pool.query<{ id: string }>(
    "SELECT id FROM officer WHERE email LIKE 'seeded-officer-%@seed.invalid' ORDER BY email",
  );
  return rows.map((row) => row.id);
}

async function main(url: string): Promise<void> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const database = openDatabase({ kind: 'postgres', url });
  try {
    await migrate(database.sql);
  } finally {
    await database.close();
  }
  const writers = 2;
  const pool = new pg.Pool({ connectionString: url, max: writers + 1 });
  try {
    const now = values.today ? londonInstant(values.today, 17, 0) : new Date();
    const existing = await pool.query<{ reference: string }>('SELECT reference FROM "case"');
    const context: SeedContext = {
      random: seededRandom(seed),
      now,
      earliest: londonInstant(addCalendarDays(londonDate(now), -5 * 365 - 1), 0, 0).getTime(),
      officerIds: await seededOfficers(pool),
      references: new Set(existing.rows.map((row) => row.reference)),
    };
    const statuses = new Map<CaseStatus, number>();
    const totals = new Map<Table, number>();
    let done = 0;
    let written = 0;
    // Two batches are written at once (one per Postgres connection) while the next is made.
    const writing: Array<Promise<void>> = [];
    console.log(`Seeding ${caseCount.toLocaleString('en-GB')} cases (seed ${seed}) into ${new URL(url).pathname.slice(1)}...`);
    while (done < caseCount) {
      const batch = emptyBatch();
      const size = Math.min(batchSize, caseCount - done);
      for (let i = 0; i < size; i += 1) {
        const status = makeCase(context, batch);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      for (const table of tables) totals.set(table, (totals.get(table) ?? 0) + batch[table].length);
      if (writing.length >= writers) await writing.shift();
      done += size;
      const write = insertBatch(pool, batch).then(() => {
        written += size;
        console.log(`  ${written.toLocaleString('en-GB')} cases written (${seconds()} s)`);
      });
      write.catch(() => undefined); // awaited below; this only stops an early failure counting as unhandled
      writing.push(write);
    }
    await Promise.all(writing);
    // Fresh statistics and visibility map, as autovacuum would leave them, so queries plan as in real use.
    await pool.query('VACUUM (ANALYZE)');
    console.log(`Seeded ${caseCount.toLocaleString('en-GB')} cases in ${seconds()} s.`);
    console.log(`  Rows: ${tables.map((table) => `${table} ${(totals.get(table) ?? 0).toLocaleString('en-GB')}`).join(', ')}`);
    console.log(`  Statuses: ${[...statuses.entries()].map(([status, n]) => `${status} ${n.toLocaleString('en-GB')}`).join(', ')}`);
  } finally {
    await pool.end();
  }
}

try {
  await main(databaseUrl);
} catch (error) {
  console.error(`The seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
