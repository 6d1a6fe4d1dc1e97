import { stringify } from 'csv-stringify/sync';
import { LRUCache } from 'lru-cache';
import type { FiguresRepository } from '../data/figures.ts';
import { londonDate } from '../domain/calendar-date.ts';
import {
  figureKeys,
  figureLabels,
  figuresForMonth,
  publishedYears,
  type Figures,
  type MonthlyCounts,
  type YearFigures,
} from '../domain/figures.ts';
import { monthsOf, parseFinancialYear, type FinancialYear } from '../domain/financial-year.ts';

/**
 * The yearly figures for the public page and its CSV, the officers' view by month, historic years.
 *
 * Counting every case's events by month reads whole tables (seconds at a million cases), and the
 * published figures are a yearly return: so the monthly counts are kept for `cacheSeconds` and then
 * refreshed in the background while the last counts are still served (stale-while-revalidate, one
 * refresh at a time: lru-cache's fetch). At most `cacheSeconds` after a change the page shows it;
 * 0 counts afresh on every request. Historic figures (entered by administrators) are kept the
 * same time, and forgotten at once when this instance saves or deletes one: so the public page
 * reads nothing from the database while its cache is fresh.
 */
export function figuresService(deps: { figures: FiguresRepository; cacheSeconds: number }) {
  const { figures } = deps;
  const cache =
    deps.cacheSeconds > 0
      ? new LRUCache<'monthly', MonthlyCounts>({
          max: 1,
          ttl: deps.cacheSeconds * 1000,
          allowStale: true,
          noDeleteOnStaleGet: true,
          allowStaleOnFetchRejection: true,
          fetchMethod: () => figures.monthlyCounts(),
        })
      : null;

  type Historic = Awaited<ReturnType<FiguresRepository['historic']>>;
  const historicCache =
    deps.cacheSeconds > 0
      ? new LRUCache<'historic', Historic>({ max: 1, ttl: deps.cacheSeconds * 1000, fetchMethod: () => figures.historic() })
      : null;

  async function historicFigures(): Promise<Historic> {
    return (await historicCache?.fetch('historic')) ?? figures.historic();
  }

  async function monthlyCounts(): Promise<MonthlyCounts> {
    if (!cache) return figures.monthlyCounts();
    const counts = await cache.fetch('monthly');
    return counts ?? figures.monthlyCounts();
  }

  async function years(now: Date): Promise<YearFigures[]> {
    const [counts, historic] = await Promise.all([monthlyCounts(), historicFigures()]);
    const entered = historic.flatMap((row) => {
      const year = parseFinancialYear(row.financialYear);
      return year ? [{ year, figures: row.figures }] : [];
    });
    return publishedYears(counts, entered, londonDate(now));
  }

  return {
    years,

    /** The same numbers as the page, one row per year, for download. */
    async csv(now: Date): Promise<string> {
      const rows = (await years(now)).map((row) => [
        row.year.label + (row.toDate ? ' (to date)' : ''),
        ...figureKeys.map((key) => row.figures[key]),
        row.historic ? 'Published before this service (entered by hand)' : 'Counted from case records',
      ]);
      return stringify([['Financial year', ...figureKeys.map((key) => figureLabels[key]), 'Source'], ...rows]);
    },

    async byMonth(year: FinancialYear): Promise<Array<{ month: string; figures: Figures }>> {
      const counts = await monthlyCounts();
      return monthsOf(year).map((month) => ({ month, figures: figuresForMonth(counts, month) }));
    },

    /**
     * Counts now, so the first visitor after start-up does not wait for the count (seconds at a
     * million cases). Does nothing when there is no cache.
     */
    async warm(): Promise<void> {
      if (cache) await cache.fetch('monthly');
    },

    /** For the administrators' page: always read afresh. */
    historic: () => figures.historic(),
    async saveHistoric(year: FinancialYear, values: Figures, officerId: string): Promise<void> {
      await figures.saveHistoric(year.label, values, officerId);
      historicCache?.clear();
    },
    async deleteHistoric(year: FinancialYear, officerId: string): Promise<void> {
      await figures.deleteHistoric(year.label, officerId);
      historicCache?.clear();
    },
  };
}

export type FiguresService = ReturnType<typeof figuresService>;
