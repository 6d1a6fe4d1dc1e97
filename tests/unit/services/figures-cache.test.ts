import { describe, expect, it } from 'vitest';
import type { FiguresRepository } from '../../../src/data/figures.ts';
import { figureKeys, type Figures, type MonthlyCounts } from '../../../src/domain/figures.ts';
import { parseFinancialYear } from '../../../src/domain/financial-year.ts';
import { figuresService } from '../../../src/services/figures-service.ts';

/**
 * The published figures' monthly counts are kept for FIGURES_CACHE_SECONDS, then counted again in
 * the background while the last counts are still served. These tests count the repository's
 * calls and read the figures the page would show for April 2026.
 */
const year = parseFinancialYear('2026/27');
if (!year) throw new Error('bad year label');

function fakeRepository() {
  const state = { calls: 0, received: 1, failing: false, historicReads: 0, historic: [] as Array<{ financialYear: string; figures: Figures }> };
  let held: Promise<void> | null = null;
  const repository: FiguresRepository = {
    async monthlyCounts(): Promise<MonthlyCounts> {
      state.calls += 1;
      if (held) await held;
      if (state.failing) throw new Error('database unavailable');
      const counts = Object.fromEntries(figureKeys.map((key) => [key, {}])) as MonthlyCounts;
      counts.applicationsReceived['2026-04'] = state.received;
      return counts;
    },
    historic: async () => {
      state.historicReads += 1;
      return state.historic;
    },
    saveHistoric: async (financialYear, figures) => {
      state.historic = [{ financialYear, figures }];
    },
    deleteHistoric: async () => {
      state.historic = [];
    },
  };
  return {
    state,
    repository,
    /** Holds the next count until the returned function is called. */
    holdNext(): () => void {
      let go = () => {};
      held = new Promise<void>((resolve) => (go = resolve));
      return () => {
        held = null;
        go();
      };
    },
  };
}

const aprilReceived = async (service: ReturnType<typeof figuresService>) =>
  (await service.byMonth(year)).find((row) => row.month === '2026-04')?.figures.applicationsReceived;

describe('published figures cache', () => {
  it('counts once and serves the same numbers until the time is up', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 60 });
    expect(await aprilReceived(service)).toBe(1);
    fake.state.received = 5;
    expect(await aprilReceived(service)).toBe(1);
    expect(
      (await service.years(new Date('2026-06-01T12:00:00Z'))).find((row) => row.year.label === '2026/27')?.figures.applicationsReceived,
    ).toBe(1);
    expect(fake.state.calls).toBe(1);
  });

  it('makes one count for many requests arriving at once', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 60 });
    const go = fake.holdNext();
    const pages = Array.from({ length: 20 }, () => aprilReceived(service));
    go();
    expect(await Promise.all(pages)).toEqual(Array(20).fill(1));
    expect(fake.state.calls).toBe(1);
  });

  it('after the time is up, serves the last numbers while counting again, then the new ones', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 1 });
    expect(await aprilReceived(service)).toBe(1);
    fake.state.received = 7;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const go = fake.holdNext();
    expect(await aprilReceived(service)).toBe(1); // stale, not waiting for the count
    expect(fake.state.calls).toBe(2);
    go();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await aprilReceived(service)).toBe(7);
  });

  it('keeps serving the last numbers when counting again fails', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 1 });
    expect(await aprilReceived(service)).toBe(1);
    fake.state.failing = true;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await aprilReceived(service)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await aprilReceived(service)).toBe(1);
  });

  it('warmed at start-up: the first page is served from the count already made', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 60 });
    await service.warm();
    expect(fake.state.calls).toBe(1);
    fake.state.received = 9;
    expect(await aprilReceived(service)).toBe(1);
    expect(fake.state.calls).toBe(1);
  });

  it('keeps the historic years too, and shows a saved or deleted one at once', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 60 });
    const labels = async () => (await service.years(new Date('2026-06-01T12:00:00Z'))).map((row) => row.year.label);
    const before = await labels();
    await labels();
    expect(fake.state.historicReads, 'read once for two pages').toBe(1);
    expect(before).not.toContain('2019/20');
    const year2019 = parseFinancialYear('2019/20');
    if (!year2019) throw new Error('bad year label');
    const figures = Object.fromEntries(figureKeys.map((key) => [key, 4])) as Figures;
    await service.saveHistoric(year2019, figures, 'officer-id');
    const saved = await service.years(new Date('2026-06-01T12:00:00Z'));
    expect(saved.find((row) => row.year.label === '2019/20')?.figures.applicationsReceived).toBe(4);
    await service.deleteHistoric(year2019, 'officer-id');
    expect(await labels()).not.toContain('2019/20');
  });

  it('counts afresh on every request with FIGURES_CACHE_SECONDS=0', async () => {
    const fake = fakeRepository();
    const service = figuresService({ figures: fake.repository, cacheSeconds: 0 });
    expect(await aprilReceived(service)).toBe(1);
    fake.state.received = 3;
    expect(await aprilReceived(service)).toBe(3);
    expect(fake.state.calls).toBe(2);
  });
});
