import { withLiveCouncil, type Config } from './config.ts';
import { administrationRepository } from './data/administration.ts';
import { caseActionRepository } from './data/case-actions.ts';
import { caseQueryRepository } from './data/case-queries.ts';
import { caseRecordRepository } from './data/case-record.ts';
import { caseRepository } from './data/cases.ts';
import { retrying } from './data/connection-loss.ts';
import type { Database } from './data/database.ts';
import { draftRepository } from './data/drafts.ts';
import { figuresRepository } from './data/figures.ts';
import { officerRepository } from './data/officers.ts';
import { outboxRepository } from './data/outbox.ts';
import { rateLimitStore } from './data/rate-limits.ts';
import { retentionRepository } from './data/retention.ts';
import { PrismaSessionStore } from './data/session-store.ts';
import { subjectAccessRepository } from './data/subject-access.ts';
import { OutboxWorker } from './jobs/outbox-worker.ts';
import type { Logger } from './logger.ts';
import { administrationService } from './services/administration-service.ts';
import { applicationService } from './services/application-service.ts';
import { authService } from './services/auth-service.ts';
import { caseActionService } from './services/case-action-service.ts';
import { caseRecordService } from './services/case-record-service.ts';
import { caseViewService } from './services/case-view-service.ts';
import { figuresService } from './services/figures-service.ts';
import type { Mailer } from './services/mailer.ts';
import { pdfService } from './services/pdf-service.ts';
import { rateLimitService } from './services/rate-limit-service.ts';
import { retentionService } from './services/retention-service.ts';
import { resumeService } from './services/resume-service.ts';
import { subjectAccessService } from './services/subject-access-service.ts';

/**
 * The one composition root: database -> repositories -> services. Its return type is the
 * dependency list the app takes (`Services`).
 */
export function buildServices(config: Config, database: Database, mailer: Mailer, logger: Logger) {
  // Repository calls are tried once more when their database connection dies under them, where
  // that cannot change the outcome (src/data/connection-loss.ts): a draft is read or set to the
  // answers given in any request; everything else only in a request that is safe to repeat.
  const drafts = retrying(draftRepository(database.prisma), ['find', 'saveAnswers', 'findByResumeToken', 'setResumeToken']);
  const cases = retrying(caseRepository(database.prisma));
  const outbox = outboxRepository(database.prisma);
  const officers = retrying(officerRepository(database.prisma));
  const outboxWorker = new OutboxWorker(outbox, mailer, logger, {
    pollMs: config.outbox.pollMs,
    maxAttempts: config.outbox.maxAttempts,
    leaseMs: config.outbox.leaseMs,
  });
  const onEmailsQueued = () => outboxWorker.nudge();
  const auth = authService({ officers, mfaRequired: config.officerMfaRequired, issuer: config.council.name });
  const administration = administrationService({
    administration: retrying(administrationRepository(database.prisma)),
    officers,
    auth,
    config,
    onEmailsQueued,
    logger,
  });
  // From here on, `config.council` is the council's settings as an administrator last saved them
  // (the environment's values where nothing was saved).
  const live = withLiveCouncil(config, () => administration.councilSettings.current());
  const rateLimits = rateLimitService({ store: rateLimitStore(database.prisma), limits: config.rateLimits, secret: config.session.secret });

  return {
    config: live,
    logger,
    sessionStore: new PrismaSessionStore(database.prisma, config.session.idleMinutes * 60_000),
    outboxWorker,
    health: {
      async databaseReachable(): Promise<boolean> {
        try {
          await database.prisma.$queryRaw`SELECT 1`;
          return true;
        } catch {
          return false;
        }
      },
    },
    applications: applicationService({ drafts, cases, config: live, onEmailsQueued }),
    resume: resumeService({ drafts, outbox, config: live, onEmailsQueued }),
    figures: figuresService({ figures: retrying(figuresRepository(database.prisma)), cacheSeconds: config.figuresCacheSeconds }),
    auth,
    // One line per area of the officers' work; each builds its repository and service.
    caseViews: caseViewService({ queries: retrying(caseQueryRepository(database.prisma)), config: live }),
    caseActions: caseActionService({ actions: retrying(caseActionRepository(database.prisma)), config: live, onEmailsQueued }),
    administration,
    caseRecords: caseRecordService({ records: retrying(caseRecordRepository(database.prisma)) }),
    pdf: pdfService({ logger }),
    rateLimits,
    retention: retentionService({
      retention: retentionRepository(database.prisma),
      // Read from the database each run: another instance's administrator may have changed it.
      retentionMonths: async () => {
        await administration.councilSettings.load();
        return administration.councilSettings.current().retentionMonths;
      },
      forgetExpiredCounters: (now) => rateLimits.sweepExpired(now),
      logger,
    }),
    subjectAccess: subjectAccessService({
      repository: retrying(subjectAccessRepository(database.prisma)),
      councilName: () => live.council.name,
    }),
  };
}

export type Services = ReturnType<typeof buildServices>;
