import type { Config } from '../config.ts';
import type { AppealPackRecord, CaseActionRepository, CaseWork, OneTimeKey } from '../data/case-actions.ts';
import type { NewEmail } from '../data/cases.ts';
import { formatLongDate, londonDate, type IsoDate } from '../domain/calendar-date.ts';
import { nextDeadline } from '../domain/case-deadlines.ts';
import {
  appealSubjectLabels,
  isAppealSubject,
  needsOverrideReason,
  outcomeBlocker,
  recordActionRefusal,
  thresholdOutcomeActions,
  victimInvited,
  type AppealSubject,
  type RejectionGround,
  type ThresholdOutcome,
  type VictimAttendance,
} from '../domain/case-decisions.ts';
import { nextStatus, type CaseAction } from '../domain/case-status.ts';
import { formatLondonTime, londonMidday } from '../domain/london-time.ts';
import {
  caseCorrespondence,
  emailRecipients,
  informationRequestLetterData,
  isLetterName,
  letterAddressee,
  letterMissing,
  today,
  type LetterName,
} from './case-letters.ts';

interface Dependencies {
  actions: CaseActionRepository;
  config: Pick<Config, 'council' | 'baseUrl'>;
  /** Wakes the outbox worker after a commit that queued emails. */
  onEmailsQueued: () => void;
}

export interface ActingOfficer {
  id: string;
  name: string;
}

export type ActionResult =
  | { ok: true; reference: string; emailsQueued: number; letter: LetterName | null }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'refused'; message: string };

/** Refuses an action inside its transaction: everything it wrote is rolled back. */
class Refusal extends Error {}

/**
 * Every action an officer takes on a case, each in one transaction through the status machine
 * with its audit entry and emails; and the printable letters and appeal pack. Which letters exist,
 * who they go to and their words are in case-letters.ts.
 */
export function caseActionService({ actions, config, onEmailsQueued }: Dependencies) {
  // Read on every use: an administrator may change the settings while the portal runs.
  const council = () => config.council;

  const { letterData, emailsFor } = caseCorrespondence(council);

  function moveOrRefuse(work: CaseWork, action: CaseAction) {
    const move = nextStatus(work.snapshot.status, action);
    if (!move.ok) throw new Refusal(move.message);
    return move.to;
  }

  function refuseIfFinal(work: CaseWork, doing: string) {
    const refusal = recordActionRefusal(work.snapshot.status, doing);
    if (refusal) throw new Refusal(refusal);
  }

  /** The case's next deadline after a move, from its new status. */
  async function updateDeadline(work: CaseWork) {
    const s = work.snapshot;
    const next = nextDeadline(
      {
        status: s.status,
        acknowledgementDueOn: s.acknowledgementDueOn,
        statusSince: today(),
        thresholdMetOn: s.decision === 'met' && s.decidedAt ? londonDate(s.decidedAt) : null,
        reviewOn: s.review && !s.review.heldAt ? londonDate(s.review.scheduledFor) : null,
        reviewHeldOn: s.review?.heldAt ? londonDate(s.review.heldAt) : null,
      },
      council().deadlines,
    );
    await work.update({ nextDeadlineOn: next });
  }

  /**
   * Runs one action: the case locked, the work, then (after the commit) the worker nudged when
   * emails were queued. A refusal rolls everything back and comes back as a message.
   */
  async function act(
    reference: string,
    officer: ActingOfficer,
    once: OneTimeKey | null,
    work: (caseWork: CaseWork) => Promise<{ emails?: NewEmail[]; letter?: LetterName | null } | void>,
  ): Promise<ActionResult> {
    try {
      const done = await actions.withCase(
        reference,
        officer.id,
        async (caseWork) => {
          const outcome = (await work(caseWork)) ?? {};
          const emails = outcome.emails ?? [];
          await caseWork.queueEmails(emails);
          return { emailsQueued: emails.length, letter: outcome.letter ?? null };
        },
        once,
      );
      if (!done) return { ok: false, reason: 'not-found' };
      // A repeat of a post already done: nothing written, nothing queued, the first answer again.
      if (done.repeated) return storedResult(reference, done.result);
      if (done.result.emailsQueued > 0) onEmailsQueued();
      return { ok: true, reference, ...done.result };
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, reason: 'refused', message: error.message };
      throw error;
    }
  }

  return {
    find: (reference: string) => actions.find(reference),

    /** The answer a post with this one-time key already gave on the case, or null when it was not done yet. */
    async repeatOf(reference: string, once: OneTimeKey): Promise<ActionResult | null> {
      const stored = await actions.usedKey(reference, once);
      return stored === null ? null : storedResult(reference, stored);
    },
    enabledOfficers: () => actions.enabledOfficers(),
    letterAddressee,
    emailRecipients,

    async acknowledge(
      reference: string,
      officer: ActingOfficer,
      input: { spocOfficerId: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'acknowledge');
        const spoc = await work.findEnabledOfficer(input.spocOfficerId);
        if (!spoc) throw new Refusal('Choose an officer who can sign in as the single point of contact.');
        const now = new Date();
        await work.move(to, `Application acknowledged. Single point of contact: ${spoc.name}`);
        await work.update({ acknowledgedAt: now, spocOfficerId: spoc.id });
        Object.assign(work.snapshot, { acknowledgedAt: now, spoc });
        await work.audit('acknowledged application', { spoc: spoc.name });
        await updateDeadline(work);
        const s = work.snapshot;
        const emails = await emailsFor(
          s,
          'case-acknowledgement',
          'case-acknowledgement',
          `Your ASB Case Review ${s.reference}: your single point of contact`,
          (r) => letterData('acknowledgement', s, r),
        );
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'acknowledgement' };
      });
    },

    async decideThreshold(
      reference: string,
      officer: ActingOfficer,
      input: { outcome: ThresholdOutcome; ground: RejectionGround | null; reason: string; overrideReason: string | null },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, thresholdOutcomeActions[input.outcome]);
        const s = work.snapshot;
        const override = needsOverrideReason(input.outcome, s.thresholdAdvice.met);
        if (override && !input.overrideReason) throw new Refusal('Enter why your decision differs from the threshold advice.');
        const now = new Date();
        await work.move(to, input.reason);
        const fields = {
          decision: input.outcome,
          decisionReason: input.reason,
          rejectionGround: input.outcome === 'rejected' ? input.ground : null,
          overrideReason: override ? input.overrideReason : null,
          decidedAt: now,
        };
        // The status machine decides only acknowledged cases: the acknowledgement named the SPoC.
        await work.update(fields);
        Object.assign(s, fields);
        await work.audit('decided threshold', {
          outcome: input.outcome,
          ground: fields.rejectionGround,
          adviceMet: s.thresholdAdvice.met,
          overridden: override,
        });
        await updateDeadline(work);
        const emails = await emailsFor(s, 'decision', 'decision', `Our decision on your ASB Case Review application ${s.reference}`, (r) =>
          letterData('decision', s, r),
        );
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'decision' };
      });
    },

    async assignSpoc(
      reference: string,
      officer: ActingOfficer,
      input: { officerId: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'assign the single point of contact');
        const spoc = await work.findEnabledOfficer(input.officerId);
        if (!spoc) throw new Refusal('Choose an officer who can sign in as the single point of contact.');
        await work.update({ spocOfficerId: spoc.id });
        await work.audit('assigned single point of contact', { spoc: spoc.name, previous: work.snapshot.spoc?.name ?? null });
      });
    },

    async requestInformation(
      reference: string,
      officer: ActingOfficer,
      input: { agency: string; dueOn: IsoDate; asked: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'ask a partner agency for information');
        await work.addInformationRequest(input);
        await work.audit('requested information', { agency: input.agency, dueOn: input.dueOn });
      });
    },

    async recordInformationReply(
      reference: string,
      officer: ActingOfficer,
      input: { requestId: string; reply: string; repliedOn: IsoDate },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'record an agency’s reply');
        const request = work.snapshot.informationRequests.find((r) => r.id === input.requestId);
        if (!request) throw new Refusal('There is no such information request on this case.');
        await work.recordInformationReply(request.id, { text: input.reply, repliedAt: londonMidday(input.repliedOn) });
        await work.audit('recorded information reply', { agency: request.agency, repliedOn: input.repliedOn });
      });
    },

    async scheduleReview(
      reference: string,
      officer: ActingOfficer,
      input: {
        scheduledFor: Date;
        agencies: string[];
        independentChair: string | null;
        attendance: VictimAttendance;
        notInvitedReason: string | null;
      },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'schedule_review');
        const rescheduling = work.snapshot.status === 'review_scheduled';
        const when = `${formatLongDate(londonDate(input.scheduledFor))} at ${formatLondonTime(input.scheduledFor)}`;
        await work.move(to, `${rescheduling ? 'Review meeting moved to' : 'Review meeting on'} ${when}`);
        await work.scheduleReview({
          scheduledFor: input.scheduledFor,
          agenciesInvited: input.agencies,
          independentChair: input.independentChair,
          victimAttendance: input.attendance,
          notInvitedReason: input.attendance === 'not-invited' ? input.notInvitedReason : null,
        });
        const s = work.snapshot;
        await work.audit(rescheduling ? 'rescheduled review' : 'scheduled review', {
          on: londonDate(input.scheduledFor),
          agencies: input.agencies,
          attendance: input.attendance,
          independentChair: input.independentChair !== null,
        });
        await updateDeadline(work);
        if (!victimInvited(input.attendance)) return {};
        const emails = await emailsFor(s, 'review-invitation', 'review-invitation', `Your ASB Case Review meeting ${s.reference}`, (r) => ({
          ...letterData('invitation', s, r),
          rescheduled: rescheduling,
        }));
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'invitation' };
      });
    },

    async holdReview(
      reference: string,
      officer: ActingOfficer,
      input: { heldOn: IsoDate; contributions: Array<{ agency: string; shared: string; actionsTaken: string }> },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'hold_review');
        const review = work.snapshot.review;
        if (!review || review.heldAt) throw new Refusal('Schedule the review first.');
        const heldAt = londonMidday(input.heldOn);
        await work.move(to, `Review meeting held on ${formatLongDate(input.heldOn)}`);
        await work.holdReview(review.id, { contributions: input.contributions, heldAt });
        await work.audit('recorded review held', { heldOn: input.heldOn, agencies: input.contributions.map((c) => c.agency) });
        await updateDeadline(work);
      });
    },

    async addRecommendation(
      reference: string,
      officer: ActingOfficer,
      input: { action: string; agency: string; dueOn: IsoDate },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'add a recommendation');
        await work.addRecommendation(input);
        await work.audit('added recommendation', { agency: input.agency, dueOn: input.dueOn });
      });
    },

    async markRecommendationDone(
      reference: string,
      officer: ActingOfficer,
      input: { recommendationId: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'mark a recommendation done');
        const recommendation = work.snapshot.recommendations.find((r) => r.id === input.recommendationId);
        if (!recommendation) throw new Refusal('There is no such recommendation on this case.');
        if (recommendation.done) throw new Refusal('That recommendation is already marked as done.');
        await work.markRecommendationDone(recommendation.id);
        await work.audit('marked recommendation done', { agency: recommendation.agency });
      });
    },

    async recordVictimComments(
      reference: string,
      officer: ActingOfficer,
      input: { comments: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'record the victim’s comments');
        await work.update({ actionPlanComments: input.comments, actionPlanCommentsAt: new Date() });
        await work.audit('recorded victim comments on action plan', { recommendations: work.snapshot.recommendations.length });
      });
    },

    async sendOutcome(
      reference: string,
      officer: ActingOfficer,
      input: { summary: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'send_outcome');
        const s = work.snapshot;
        const blocker = outcomeBlocker(s.recommendations.length, Boolean(s.actionPlanComments));
        if (blocker) throw new Refusal(blocker);
        const now = new Date();
        await work.move(to, 'Outcome sent');
        await work.update({ outcomeSummary: input.summary, outcomeSentAt: now });
        Object.assign(s, { outcomeSummary: input.summary, outcomeSentAt: now });
        await work.audit('sent outcome', { recommendations: s.recommendations.length });
        await updateDeadline(work);
        const emails = await emailsFor(s, 'outcome', 'outcome', `The outcome of your ASB Case Review ${s.reference}`, (r) =>
          letterData('outcome', s, r),
        );
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'outcome' };
      });
    },

    async recordAppeal(
      reference: string,
      officer: ActingOfficer,
      input: { receivedOn: IsoDate; about: AppealSubject; appellant: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'receive_appeal');
        const s = work.snapshot;
        const receivedAt = londonMidday(input.receivedOn);
        await work.move(
          to,
          `Appeal to the PCC received on ${formatLongDate(input.receivedOn)} from ${input.appellant}: ${appealSubjectLabels[input.about]}`,
        );
        await work.recordAppeal({ receivedAt, about: input.about, appellant: input.appellant });
        await work.audit('recorded appeal', { receivedOn: input.receivedOn, about: input.about });
        await updateDeadline(work);
        const emails = await emailsFor(
          s,
          'appeal-acknowledgement',
          'appeal-acknowledgement',
          `Your appeal about your ASB Case Review ${s.reference}`,
          (r) => letterData('appeal-acknowledgement', s, r),
        );
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'appeal-acknowledgement' };
      });
    },

    async concludeAppeal(
      reference: string,
      officer: ActingOfficer,
      input: { result: string; upheld: boolean; sentBack: boolean },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'conclude_appeal');
        const appeal = work.snapshot.appeal;
        if (!appeal || appeal.concludedAt) throw new Refusal('Record the appeal first.');
        await work.move(to, `Appeal ${input.upheld ? 'upheld' : 'not upheld'}: ${input.result}`);
        await work.concludeAppeal(appeal.id, input);
        if (input.sentBack) {
          const back = moveOrRefuse(work, 'reopen');
          await work.move(back, 'Sent back by the PCC to be reconsidered');
        }
        await work.audit('concluded appeal', { upheld: input.upheld, sentBack: input.sentBack });
        await updateDeadline(work);
      });
    },

    async reopen(
      reference: string,
      officer: ActingOfficer,
      input: { reason: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'reopen');
        await work.move(to, input.reason);
        await work.audit('reopened case', {});
        await updateDeadline(work);
      });
    },

    async close(
      reference: string,
      officer: ActingOfficer,
      input: { reason: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'close');
        const now = new Date();
        await work.move(to, input.reason);
        await work.update({ closedAt: now, closureReason: input.reason });
        await work.audit('closed case', {});
        await updateDeadline(work);
        const s = work.snapshot;
        Object.assign(s, { closedAt: now, closureReason: input.reason });
        const emails = await emailsFor(s, 'closure', 'closure', `Your ASB Case Review ${s.reference} is closed`, (r) =>
          letterData('closure', s, r),
        );
        return { emails, letter: letterAddressee(s).hasEmail ? null : 'closure' };
      });
    },

    async withdraw(
      reference: string,
      officer: ActingOfficer,
      input: { reason: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        const to = moveOrRefuse(work, 'withdraw');
        await work.move(to, input.reason);
        // A withdrawn case has ended too: the retention period counts from here.
        await work.update({ closedAt: new Date(), closureReason: input.reason });
        await work.audit('recorded withdrawal', {});
        await updateDeadline(work);
      });
    },

    async addNote(
      reference: string,
      officer: ActingOfficer,
      input: { text: string },
      once: OneTimeKey | null = null,
    ): Promise<ActionResult> {
      return act(reference, officer, once, async (work) => {
        refuseIfFinal(work, 'add a note');
        await work.addNote(input.text);
        await work.audit('added note', { length: input.text.length });
      });
    },

    /**
     * A printable letter, with the same words as its email. Refused until the letter exists (the
     * application acknowledged, the threshold decided, the outcome sent). Opening it is audited.
     */
    async letter(
      reference: string,
      officer: ActingOfficer,
      name: LetterName,
    ): Promise<
      { ok: true; data: Record<string, unknown> } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'refused'; message: string }
    > {
      const snapshot = await actions.find(reference);
      if (!snapshot) return { ok: false, reason: 'not-found' };
      const message = letterMissing(name, snapshot);
      if (message) return { ok: false, reason: 'refused', message };
      await actions.auditView(snapshot.id, officer.id, `viewed ${name} letter`);
      const addressee = letterAddressee(snapshot);
      return { ok: true, data: { ...letterData(name, snapshot, addressee), address: addressee.address } };
    },

    /**
     * The letter asking a partner agency for information (one per request): who the case is about,
     * the incidents reported, what is asked and by when. Opening it is audited.
     */
    async informationRequestLetter(
      reference: string,
      officer: ActingOfficer,
      requestId: string,
    ): Promise<{ ok: true; agency: string; data: Record<string, unknown> } | { ok: false; reason: 'not-found' }> {
      const pack = await actions.appealPack(reference);
      const request = pack?.snapshot.informationRequests.find((r) => r.id === requestId);
      if (!pack || !request) return { ok: false, reason: 'not-found' };
      const { snapshot, application } = pack;
      await actions.auditView(snapshot.id, officer.id, 'viewed information request letter');
      return { ok: true, agency: request.agency, data: informationRequestLetterData(council(), snapshot, application, request) };
    },

    /** The papers for the PCC: the application, the chronology, the letters and emails, the action plan. */
    async appealPack(reference: string, officer: ActingOfficer): Promise<AppealPackRecord | null> {
      const pack = await actions.appealPack(reference);
      if (pack) await actions.auditView(pack.snapshot.id, officer.id, 'viewed appeal pack');
      return pack;
    },

    appealSubjectLabel: (about: string) => (isAppealSubject(about) ? appealSubjectLabels[about] : about),
  };
}

export type CaseActionService = ReturnType<typeof caseActionService>;

/** The answer a post already done with this one-time key gave, read back from what was stored with it. */
function storedResult(reference: string, stored: unknown): ActionResult {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return {
    ok: true,
    reference,
    emailsQueued: typeof record.emailsQueued === 'number' ? record.emailsQueued : 0,
    letter: isLetterName(record.letter) ? record.letter : null,
  };
}
