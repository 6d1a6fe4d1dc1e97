import { randomUUID } from 'node:crypto';
import type { CaseStatus } from '../../domain/case-status.ts';
import { generateReference } from '../../domain/reference.ts';
import { defaultAcknowledgementWorkingDays } from '../../domain/working-days.ts';
import { liveCaseLife } from './case-life.ts';
import { caseEmails } from './emails.ts';
import { makeIncidents } from './incidents.ts';
import { londonDay, workingDaysAfter } from './london-days.ts';
import { makePeople } from './people.ts';
import type { Batch, Row, SeedContext } from './rows.ts';
import { actions, hateTypes, hopes, impacts } from './vocabulary.ts';

// One made-up case at a time, from the seeded random source alone (and the officers and "now" in
// the context), so the same seed gives the same cases. The order of the draws is the output: a
// change of order here changes every case after it.

/** Adds one made-up case, and every row that belongs to it, to the batch; returns its status. */
export function makeCase(context: SeedContext, batch: Batch): CaseStatus {
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

  const { victimEmail, applicantEmail } = makePeople(context, batch, { id, receivedAt, receivedOn, onBehalf, victimType });
  const { incidentsRelated, hateMotivated, householdsReporting, advice } = makeIncidents(context, batch, { id, receivedOn });

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
  const email = caseEmails(context, batch, id, reference);
  const applicantAddress = onBehalf ? applicantEmail : victimEmail;
  email('acknowledgement', applicantAddress, 'We have received your application for an ASB Case Review', receivedAt);
  email('new-application', 'asb-officers@localhost', 'New ASB Case Review application', receivedAt);

  const { status, at } = liveCaseLife(context, batch, {
    id,
    row,
    receivedAt,
    channel,
    enteredBy,
    acknowledgementDueOn,
    advice,
    applicantAddress,
    email,
  });
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
