import { z } from 'zod';
import { councilSchema, type Council } from '../council.ts';

/** The key of the council's settings in the `setting` table. */
export const councilSettingKey = 'council';

/** How old the cached settings may get before an instance reads them again. */
export const councilSettingsMaxAgeMs = 30_000;

export interface CouncilSettingsRepository {
  readSetting(key: string): Promise<{ value: unknown } | null>;
  saveSetting(key: string, value: object, audit: { officerId: string; action: string; detail: object }): Promise<void>;
}

/**
 * Any part of the council's settings, checked when applied: nested groups (contact, threshold...)
 * may be partial; a value left undefined keeps what is there.
 */
export type CouncilChanges = { [K in keyof Council]?: unknown };

// Web addresses the portal shows as links must be http(s): a javascript: address would run in
// residents' browsers. Checked per field, so the message shows alongside any other.
const webAddress = z.url({ protocol: /^https?$/, hostname: z.regexes.domain });

/** councilSchema, with web addresses limited to http(s) (administrators edit these). */
export const editableCouncilSchema = councilSchema.extend({
  reportAsbUrl: webAddress,
  complaintsUrl: webAddress,
  pcc: councilSchema.shape.pcc.extend({ appealUrl: webAddress }),
});

export interface FieldChange {
  /** Dotted path, e.g. 'threshold.minimumIncidents'. */
  field: string;
  from: unknown;
  to: unknown;
}

export type UpdateResult = { ok: true; council: Council; changes: FieldChange[] } | { ok: false; error: z.ZodError };

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and single values replace. */
export function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlain(base) || !isPlain(override)) return override === undefined ? base : override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDeep(base[key], value);
  return merged;
}

/** Every leaf (arrays count as one leaf) that differs between two settings objects. */
export function differences(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => differences(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: prefix, from: before, to: after }];
}

/** Only what differs from the defaults: what the `setting` row stores. */
export function overridesOf(defaults: Council, council: Council): Plain {
  const overrides: Plain = {};
  for (const change of differences(defaults, council)) {
    const path = change.field.split('.');
    let node = overrides;
    path.slice(0, -1).forEach((key) => {
      const next = isPlain(node[key]) ? (node[key] as Plain) : {};
      node[key] = next;
      node = next;
    });
    node[path[path.length - 1] ?? ''] = change.to;
  }
  return overrides;
}

/** The defaults with the stored overrides on top; the defaults alone when the result is not valid. */
export function mergeCouncil(defaults: Council, stored: unknown): { council: Council; problem: string | null } {
  if (stored === undefined || stored === null) return { council: defaults, problem: null };
  const parsed = councilSchema.safeParse(mergeDeep(defaults, stored));
  if (parsed.success) return { council: parsed.data, problem: null };
  const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
  return { council: defaults, problem: `The stored council settings are not valid (${where}); using the defaults` };
}

/**
 * The council's configuration: the defaults from the environment (config.council) with what
 * administrators changed on top, stored in the `setting` table so every instance shares it.
 *
 * `current()` is synchronous and cheap: it returns the cached value. When the cache is older than
 * 30 seconds it starts one background read (never more than one at a time) and carries on with the
 * cached value, so an instance that is serving pages picks up another instance's change within
 * about 30 seconds, at the cost of one primary-key read per 30 seconds. An instance that was idle
 * serves its first request after the pause from the cache while the read runs; `refreshIfStale()`
 * (awaited, for example in a middleware) closes that gap when it matters.
 */
export function councilSettings(deps: {
  repository: CouncilSettingsRepository;
  defaults: Council;
  maxAgeMs?: number;
  now?: () => number;
  onProblem?: (problem: unknown) => void;
}) {
  const { repository, defaults } = deps;
  const maxAgeMs = deps.maxAgeMs ?? councilSettingsMaxAgeMs;
  const now = deps.now ?? (() => Date.now());
  const report = deps.onProblem ?? (() => undefined);

  let cached = defaults;
  let readAt = Number.NEGATIVE_INFINITY;
  // Bumped by update(): a read that started before an update must not overwrite its result.
  let generation = 0;
  let reading: Promise<void> | null = null;

  function read(): Promise<void> {
    if (reading) return reading;
    const startedAt = now();
    const startedGeneration = generation;
    readAt = startedAt;
    reading = repository
      .readSetting(councilSettingKey)
      .then((row) => {
        const { council, problem } = mergeCouncil(defaults, row?.value);
        if (problem) report(problem);
        if (generation === startedGeneration) cached = council;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  const stale = () => now() - readAt >= maxAgeMs;

  return {
    /** Reads the stored settings now (at start-up, or on a timer). Rejects when the database does. */
    load: (): Promise<void> => read(),

    /** The settings to use now (cached; see above). */
    current(): Council {
      if (stale() && !reading) read().catch(report);
      return cached;
    },

    /** Reads again, and waits, only when the cache is older than 30 seconds. Never rejects. */
    async refreshIfStale(): Promise<void> {
      if (stale() || reading) await read().catch(report);
    },

    /** Applies changes on top of the freshest settings, validates, stores and audits them. */
    async update(changes: CouncilChanges, officerId: string): Promise<UpdateResult> {
      await read();
      const before = cached;
      const parsed = editableCouncilSchema.safeParse(mergeDeep(before, changes));
      if (!parsed.success) return { ok: false, error: parsed.error };
      const council = parsed.data;
      const changed = differences(before, council);
      if (changed.length === 0) return { ok: true, council, changes: [] };
      await repository.saveSetting(councilSettingKey, overridesOf(defaults, council), {
        officerId,
        action: 'council settings changed',
        detail: { setting: councilSettingKey, changes: changed },
      });
      generation += 1;
      cached = council;
      readAt = now();
      return { ok: true, council, changes: changed };
    },
  };
}

export type CouncilSettings = ReturnType<typeof councilSettings>;
