import type { PrismaClient } from '../generated/prisma/client.ts';
import { figureKeys, type FigureKey, type Figures, type MonthlyCounts } from '../domain/figures.ts';

interface MonthRow {
  event: FigureKey;
  month: string;
  count: bigint;
}

/**
 * The published figures, counted from the case records by month in London time (the rules for
 * which date counts each event are in src/domain/figures.ts), and historic years entered by hand.
 */
export function figuresRepository(prisma: PrismaClient) {
  return {
    async monthlyCounts(): Promise<MonthlyCounts> {
      const rows = await prisma.$queryRaw<MonthRow[]>`
        SELECT 'applicationsReceived' AS event, to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, count(*) AS count
          FROM "case" GROUP BY 2
        UNION ALL
        SELECT 'thresholdNotMet', to_char("at" AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
          FROM status_change WHERE to_status = 'threshold_not_met' GROUP BY 2
        UNION ALL
        SELECT 'reviewsCarriedOut', to_char(held_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
          FROM review WHERE held_at IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT 'reviewsWithRecommendations', to_char(r.held_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
          FROM review r WHERE r.held_at IS NOT NULL AND EXISTS (SELECT 1 FROM recommendation x WHERE x.case_id = r.case_id) GROUP BY 2
        UNION ALL
        SELECT 'appealsReceived', to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
          FROM appeal GROUP BY 2
        UNION ALL
        SELECT 'appealsUpheld', to_char(concluded_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), count(*)
          FROM appeal WHERE upheld AND concluded_at IS NOT NULL GROUP BY 2`;
      const counts = Object.fromEntries(figureKeys.map((key) => [key, {}])) as MonthlyCounts;
      for (const row of rows) counts[row.event][row.month] = Number(row.count);
      return counts;
    },

    async historic(): Promise<Array<{ financialYear: string; figures: Figures }>> {
      const rows = await prisma.historicFigures.findMany({ orderBy: { financialYear: 'desc' } });
      return rows.map((row) => ({
        financialYear: row.financialYear,
        figures: {
          applicationsReceived: row.applicationsReceived,
          thresholdNotMet: row.thresholdNotMet,
          reviewsCarriedOut: row.reviewsCarriedOut,
          reviewsWithRecommendations: row.reviewsWithRecommendations,
          appealsReceived: row.appealsReceived,
          appealsUpheld: row.appealsUpheld ?? 0,
        },
      }));
    },

    async saveHistoric(financialYear: string, figures: Figures, officerId: string): Promise<void> {
      await prisma.$transaction([
        prisma.historicFigures.upsert({ where: { financialYear }, create: { financialYear, ...figures }, update: figures }),
        prisma.auditEntry.create({
          data: { actor: 'officer', officerId, action: 'historic figures entered', detail: { financialYear, ...figures } },
        }),
      ]);
    },

    async deleteHistoric(financialYear: string, officerId: string): Promise<void> {
      await prisma.$transaction([
        prisma.historicFigures.deleteMany({ where: { financialYear } }),
        prisma.auditEntry.create({ data: { actor: 'officer', officerId, action: 'historic figures removed', detail: { financialYear } } }),
      ]);
    },
  };
}

export type FiguresRepository = ReturnType<typeof figuresRepository>;
