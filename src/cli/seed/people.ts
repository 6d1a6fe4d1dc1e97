import { randomUUID } from 'node:crypto';
import { addCalendarDays, type IsoDate } from '../../domain/calendar-date.ts';
import type { Batch, SeedContext } from './rows.ts';
import {
  businesses,
  firstNames,
  groups,
  inwardLetters,
  lastNames,
  outwardCodes,
  streets,
  tinyPdf,
  tinyPdfHex,
  towns,
} from './vocabulary.ts';

// The people on a made-up case: the victim, and (for an application made on their behalf) the
// applicant and the victim's consent.

/** Adds the person (and consent) rows; returns the email addresses the case's letters go to. */
export function makePeople(
  context: SeedContext,
  batch: Batch,
  {
    id,
    receivedAt,
    receivedOn,
    onBehalf,
    victimType,
  }: {
    id: string;
    receivedAt: Date;
    receivedOn: IsoDate;
    onBehalf: boolean;
    victimType: 'person' | 'business' | 'group';
  },
): { victimEmail: string | null; applicantEmail: string | null } {
  const { random } = context;
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
  return { victimEmail, applicantEmail };
}
