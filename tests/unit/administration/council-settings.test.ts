import { describe, expect, it } from 'vitest';
import { southDerbyshire, type Council } from '../../../src/council.ts';
import {
  councilSettings,
  differences,
  mergeCouncil,
  mergeDeep,
  overridesOf,
  type CouncilSettingsRepository,
} from '../../../src/services/council-settings.ts';

/** An in-memory `setting` table that counts reads and can be told to fail or to hold a read. */
function fakeRepository(initial: unknown = null) {
  let stored: unknown = initial;
  const saved: Array<{ value: object; audit: { officerId: string; action: string; detail: object } }> = [];
  let reads = 0;
  let failing = false;
  let held: Array<() => void> = [];
  let holding = false;
  let saveHeld: (() => void) | null = null;
  let holdingSave = false;
  const repository: CouncilSettingsRepository = {
    async readSetting() {
      reads += 1;
      const value = stored;
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      if (failing) throw new Error('database unreachable');
      return value === null ? null : { value };
    },
    async saveSetting(_key, value, audit) {
      if (holdingSave) await new Promise<void>((resolve) => (saveHeld = resolve));
      stored = value;
      saved.push({ value, audit });
    },
  };
  return {
    repository,
    saved,
    reads: () => reads,
    store: (value: unknown) => (stored = value),
    fail: (yes: boolean) => (failing = yes),
    holdSave: (yes: boolean) => {
      holdingSave = yes;
      if (!yes) saveHeld?.();
    },
    hold: (yes: boolean) => {
      holding = yes;
      if (!yes) {
        held.forEach((release) => release());
        held = [];
      }
    },
  };
}

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('merging and comparing settings', () => {
  it('merges objects key by key and replaces arrays and values', () => {
    expect(mergeDeep({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { b: { c: 5 }, e: [9] })).toEqual({ a: 1, b: { c: 5, d: 3 }, e: [9] });
    expect(mergeDeep({ a: 1 }, { a: undefined })).toEqual({ a: 1 });
    expect(mergeDeep({ a: 1 }, { a: null })).toEqual({ a: null });
  });

  it('lists each changed leaf, treating a list as one value', () => {
    const after: Council = {
      ...southDerbyshire,
      contact: { ...southDerbyshire.contact, phone: '01283 000000' },
      partnerAgencies: ['Police'],
    };
    expect(differences(southDerbyshire, after)).toEqual([
      { field: 'contact.phone', from: '01283 595798', to: '01283 000000' },
      { field: 'partnerAgencies', from: southDerbyshire.partnerAgencies, to: ['Police'] },
    ]);
    expect(differences(southDerbyshire, structuredClone(southDerbyshire))).toEqual([]);
  });

  it('stores only what differs from the defaults', () => {
    const council: Council = { ...southDerbyshire, threshold: { ...southDerbyshire.threshold, minimumIncidents: 2 } };
    expect(overridesOf(southDerbyshire, council)).toEqual({ threshold: { minimumIncidents: 2 } });
    expect(overridesOf(southDerbyshire, southDerbyshire)).toEqual({});
  });

  it('falls back to the defaults, saying so, when what is stored no longer fits the schema', () => {
    expect(mergeCouncil(southDerbyshire, { threshold: { minimumIncidents: 2 } }).council.threshold.minimumIncidents).toBe(2);
    const broken = mergeCouncil(southDerbyshire, { threshold: { minimumIncidents: 9 } });
    expect(broken.council).toEqual(southDerbyshire);
    expect(broken.problem).toContain('threshold.minimumIncidents');
  });
});

describe('councilSettings', () => {
  it('serves the defaults until load(), then the stored overrides', async () => {
    const fake = fakeRepository({ name: 'Somewhere Council' });
    const settings = councilSettings({ repository: fake.repository, defaults: southDerbyshire, now: clock().now });
    expect(settings.current().name).toBe('South Derbyshire District Council');
    await settings.load();
    expect(settings.current().name).toBe('Somewhere Council');
    expect(settings.current().partnershipName).toBe(southDerbyshire.partnershipName);
  });

  it('reads again in the background once the cache is 30 seconds old, once at a time', async () => {
    const fake = fakeRepository({ name: 'First' });
    const time = clock();
    const settings = councilSettings({ repository: fake.repository, defaults: southDerbyshire, now: time.now });
    await settings.load();
    fake.store({ name: 'Second' });

    time.advance(29_999);
    expect(settings.current().name).toBe('First');
    await settle();
    expect(fake.reads()).toBe(1);

    time.advance(1);
    expect(settings.current().name).toBe('First'); // never waits for the database
    expect(settings.current().name).toBe('First');
    await settle();
    expect(fake.reads()).toBe(2);
    expect(settings.current().name).toBe('Second');
  });

  it('keeps the cached settings and reports the problem when a read fails', async () => {
    const fake = fakeRepository({ name: 'Cached' });
    const time = clock();
    const problems: unknown[] = [];
    const settings = councilSettings({
      repository: fake.repository,
      defaults: southDerbyshire,
      now: time.now,
      onProblem: (p) => problems.push(p),
    });
    await settings.load();
    fake.fail(true);
    time.advance(30_000);
    await settings.refreshIfStale();
    expect(settings.current().name).toBe('Cached');
    expect(String(problems[0])).toContain('database unreachable');
    // It does not hammer a database that is down: the next try is 30 seconds later.
    await settings.refreshIfStale();
    expect(fake.reads()).toBe(2);
  });

  it('validates, stores only the overrides, audits the changed fields, and uses the result at once', async () => {
    const fake = fakeRepository();
    const settings = councilSettings({ repository: fake.repository, defaults: southDerbyshire, now: clock().now });
    const refused = await settings.update({ threshold: { minimumIncidents: 4 } }, 'officer-1');
    expect(refused.ok).toBe(false);
    expect(fake.saved).toHaveLength(0);

    const javascript = await settings.update({ reportAsbUrl: 'javascript:alert(1)' }, 'officer-1');
    expect(javascript.ok).toBe(false);

    const result = await settings.update({ threshold: { minimumIncidents: 2 }, contact: { phone: '01283 000000' } }, 'officer-1');
    expect(result).toMatchObject({ ok: true });
    expect(settings.current().threshold).toEqual({ ...southDerbyshire.threshold, minimumIncidents: 2 });
    expect(fake.saved).toEqual([
      {
        value: { threshold: { minimumIncidents: 2 }, contact: { phone: '01283 000000' } },
        audit: {
          officerId: 'officer-1',
          action: 'council settings changed',
          detail: {
            setting: 'council',
            changes: [
              { field: 'contact.phone', from: '01283 595798', to: '01283 000000' },
              { field: 'threshold.minimumIncidents', from: 3, to: 2 },
            ],
          },
        },
      },
    ]);

    const same = await settings.update({ threshold: { minimumIncidents: 2 } }, 'officer-1');
    expect(same).toMatchObject({ ok: true, changes: [] });
    expect(fake.saved).toHaveLength(1);
  });

  it('does not let a read that started before an update put the old value back', async () => {
    const fake = fakeRepository({ name: 'Old' });
    const time = clock();
    const settings = councilSettings({ repository: fake.repository, defaults: southDerbyshire, now: time.now });
    await settings.load();
    fake.holdSave(true);
    const updating = settings.update({ name: 'New' }, 'officer-1');
    await settle();
    // While the update is being saved, the cache goes stale and a read starts: it sees 'Old'.
    time.advance(30_000);
    fake.hold(true);
    expect(settings.current().name).toBe('Old');
    fake.holdSave(false);
    await updating;
    expect(settings.current().name).toBe('New');
    fake.hold(false);
    await settle();
    expect(fake.reads()).toBe(3);
    expect(settings.current().name).toBe('New');
  });
});
