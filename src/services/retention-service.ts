import type { RetentionRepository } from '../data/retention.ts';
import { londonDate, type IsoDate } from '../domain/calendar-date.ts';
import { closedBeforeInstant, isDueForAnonymisation, retentionCutoff } from '../domain/retention.ts';
import type { Logger } from '../logger.ts';
import { resumeLinkDays } from './resume-service.ts';

export interface RetentionRun {
  /** The last closing day that was due. */
  cutoff: IsoDate;
  retentionMonths: number;
  anonymised: number;
  /** Rate-limit counters forgotten because their window had ended. */
  countersForgotten: number;
  /** Applications started and never sent, deleted (see abandonedDraftDays). */
  draftsDeleted: number;
}

/**
 * An application started and never sent is deleted this many days after it was last changed (or
 * when its resume link expires, if that is later): the life of a resume link, so nobody loses an
 * application they could still come back to.
 */
export const abandonedDraftDays = resumeLinkDays;

export interface DailySchedule {
  stop(): Promise<void>;
}

const batchSize = 100;
const dayMs = 86_400_000;

/**
 * The retention job: anonymises every case closed longer ago than the council's retention period
 * (read fresh each run: an administrator may have changed it), one case per transaction, each
 * with an audit entry. Also deletes applications started and never sent (abandonedDraftDays) and
 * forgets rate-limit counters whose window has ended. Safe to run on
 * several instances at once: each case is claimed before it is changed.
 */
export function retentionService(deps: {
  retention: RetentionRepository;
  /** The council's retention period as last saved. */
  retentionMonths: () => Promise<number>;
  forgetExpiredCounters: (now: Date) => Promise<number>;
  logger: Logger;
}) {
  const { retention, logger } = deps;

  async function run(now = new Date()): Promise<RetentionRun> {
    const retentionMonths = await deps.retentionMonths();
    const today = londonDate(now);
    const before = closedBeforeInstant(today, retentionMonths);
    let anonymised = 0;
    for (;;) {
      const batch = await retention.closedBefore(before, batchSize);
      const due = batch.filter((candidate) => isDueForAnonymisation(candidate, today, retentionMonths));
      for (const candidate of due) {
        const closedOn = candidate.closedAt ? londonDate(candidate.closedAt) : today;
        if (await retention.anonymise(candidate.id, now, { retentionMonths, closedOn })) anonymised += 1;
      }
      if (due.length === 0 || batch.length < batchSize) break;
    }
    const draftsDeleted = await retention.deleteAbandonedDrafts(new Date(now.getTime() - abandonedDraftDays * dayMs), now);
    const countersForgotten = await deps.forgetExpiredCounters(now);
    const result = { cutoff: retentionCutoff(today, retentionMonths), retentionMonths, anonymised, countersForgotten, draftsDeleted };
    // Counts and dates only: nothing about the people in the cases.
    logger.info(result, 'retention run finished');
    return result;
  }

  return {
    run,

    /**
     * Runs the job soon after start, then once a day, in the worker process. A failed run is
     * logged and tried again the next day; stop() waits for a run in progress to finish.
     */
    startDaily(options: { firstRunInMs?: number; everyMs?: number } = {}): DailySchedule {
      const everyMs = options.everyMs ?? dayMs;
      let running: Promise<unknown> | null = null;
      let stopped = false;
      let timer: NodeJS.Timeout;
      const schedule = (inMs: number) => {
        timer = setTimeout(tick, inMs);
        // The worker's own loop (or the web server) keeps the process alive, not this timer.
        timer.unref();
      };
      const tick = () => {
        running = run()
          .catch((error: unknown) => logger.error({ err: error }, 'retention run failed'))
          .finally(() => {
            running = null;
            if (!stopped) schedule(everyMs);
          });
      };
      schedule(options.firstRunInMs ?? 60_000);
      return {
        async stop() {
          stopped = true;
          clearTimeout(timer);
          await running;
        },
      };
    },
  };
}

export type RetentionService = ReturnType<typeof retentionService>;
