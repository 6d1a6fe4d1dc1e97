import type { CaseRecord } from '../../data/case-queries.ts';
import { statusLabels } from '../../domain/case-status.ts';
import { formatDateTime, plural } from './format.ts';
import { label, labels } from './labels.ts';

/**
 * The case page's timeline (status changes, audit entries, notes and emails, oldest first) and,
 * apart from it, who has viewed the case or its consent form (newest first).
 */

export interface TimelineEntry {
  at: string;
  when: string;
  title: string;
  details: string[];
  who: string;
}

const viewActions = new Set(['viewed case', 'downloaded consent form']);

function who(officer: { name: string } | null, fallback: string): string {
  return officer?.name ?? fallback;
}

export function presentTimeline(record: CaseRecord): { timeline: TimelineEntry[]; views: TimelineEntry[] } {
  type Dated = TimelineEntry & { instant: number; order: number };
  const entry = (instant: Date, order: number, title: string, details: string[], by: string): Dated => ({
    instant: instant.getTime(),
    order,
    at: instant.toISOString(),
    when: formatDateTime(instant),
    title,
    details,
    who: by,
  });
  const events: Dated[] = [];
  const views: Dated[] = [];
  for (const change of record.statusChanges) {
    const title =
      change.fromStatus === null
        ? `Status: ${statusLabels[change.toStatus]}`
        : `Status: ${statusLabels[change.fromStatus]} to ${statusLabels[change.toStatus]}`;
    events.push(
      entry(
        change.at,
        0,
        title,
        change.reason ? [change.reason] : [],
        who(change.officer, change.fromStatus === null ? 'The applicant' : 'The system'),
      ),
    );
  }
  for (const entryRow of record.auditEntries) {
    const by = who(
      entryRow.officer,
      entryRow.actor === 'public' ? 'The applicant' : entryRow.actor === 'officer' ? 'An officer' : 'The system',
    );
    const item = entry(entryRow.at, 1, label({}, entryRow.action), [], by);
    (viewActions.has(entryRow.action) ? views : events).push(item);
  }
  for (const note of record.notes) events.push(entry(note.createdAt, 2, 'Note', [note.text], who(note.officer, 'An officer')));
  for (const email of record.emails) {
    const state =
      email.status === 'sent' && email.sentAt
        ? `Sent ${formatDateTime(email.sentAt)}`
        : email.status === 'failed'
          ? `Failed after ${plural(email.attempts, 'attempt')}: see Failed emails`
          : `${label(labels.emailStatus, email.status)}${email.attempts > 0 ? ` (${plural(email.attempts, 'attempt')} so far)` : ''}`;
    events.push(entry(email.createdAt, 3, `Email: ${label(labels.emailKind, email.kind)} to ${email.to}`, [state], 'The system'));
  }
  const byTime = (a: Dated, b: Dated) => a.instant - b.instant || a.order - b.order;
  const strip = ({ at, when, title, details, who: by }: Dated): TimelineEntry => ({ at, when, title, details, who: by });
  return { timeline: events.sort(byTime).map(strip), views: views.sort((a, b) => b.instant - a.instant).map(strip) };
}
