import { describe, expect, it } from 'vitest';
import {
  caseListHref,
  classifySearch,
  containsPattern,
  decodeCursor,
  emptyCaseListQuery,
  encodeCursor,
  parseCaseListQuery,
  type CaseListQuery,
} from '../../../src/domain/case-list-query.ts';

const id = '0b6f3c1e-9a57-4c1e-8f7e-2d6b9a1c4e55';

describe('parseCaseListQuery', () => {
  it.each<[string, Record<string, unknown>, Partial<CaseListQuery>]>([
    ['nothing', {}, {}],
    ['one status', { status: 'received' }, { statuses: ['received'] }],
    ['several statuses, repeats once', { status: ['received', 'closed', 'received'] }, { statuses: ['received', 'closed'] }],
    ['overdue only', { deadline: 'overdue' }, { deadline: 'overdue' }],
    ['due today', { deadline: 'today' }, { deadline: 'today' }],
    ['channel', { channel: 'paper' }, { channel: 'paper' }],
    ['sort by deadline', { sort: 'deadline' }, { sort: 'deadline' }],
    ['first of repeated single values', { sort: ['deadline', 'received'] }, { sort: 'deadline' }],
    [
      'received dates',
      {
        'receivedFrom-day': '1',
        'receivedFrom-month': '4',
        'receivedFrom-year': '2026',
        'receivedTo-day': '31',
        'receivedTo-month': '03',
        'receivedTo-year': '2027',
      },
      { receivedFrom: '2026-04-01', receivedTo: '2027-03-31' },
    ],
    ['reference search', { q: ' asb 2026 7kq3xm ' }, { q: 'asb 2026 7kq3xm', search: { kind: 'reference', value: 'ASB-2026-7KQ3XM' } }],
    ['postcode search', { q: 'de110ah' }, { q: 'de110ah', search: { kind: 'postcode', value: 'DE11 0AH' } }],
    ['spaced postcode search', { q: 'Sw1A   1aa' }, { q: 'Sw1A 1aa', search: { kind: 'postcode', value: 'SW1A 1AA' } }],
    ['email search', { q: 'Alex@Example.TEST' }, { q: 'Alex@Example.TEST', search: { kind: 'email', value: 'alex@example.test' } }],
    ['name search', { q: 'Alex  Ex' }, { q: 'Alex Ex', search: { kind: 'name', value: 'alex ex' } }],
    [
      'next page',
      { after: encodeCursor('2026-03-01T09:30:00.000Z', id) },
      { cursor: { direction: 'after', key: '2026-03-01T09:30:00.000Z', id } },
    ],
    [
      'previous page by deadline',
      { sort: 'deadline', before: encodeCursor('2026-03-01', id) },
      { sort: 'deadline', cursor: { direction: 'before', key: '2026-03-01', id } },
    ],
    [
      'page among cases with no deadline',
      { sort: 'deadline', after: encodeCursor(null, id) },
      { sort: 'deadline', cursor: { direction: 'after', key: null, id } },
    ],
  ])('%s', (_name, input, expected) => {
    const parsed = parseCaseListQuery(input);
    expect(parsed.problems).toEqual([]);
    expect(parsed.query).toEqual({ ...emptyCaseListQuery, ...expected });
  });

  it.each<[string, Record<string, unknown>, string, Partial<CaseListQuery>]>([
    ['an unknown status, keeping the good one', { status: ['open', 'closed'] }, 'Select statuses from the list', { statuses: ['closed'] }],
    ['an unknown channel', { channel: 'fax' }, 'Select how the application came in from the list', {}],
    ['an unknown sort', { sort: 'upside-down' }, 'Select a sort order from the list', {}],
    ['an unknown deadline', { deadline: 'tomorrow' }, 'Select a deadline from the list', {}],
    [
      '30 February',
      { 'receivedFrom-day': '30', 'receivedFrom-month': '2', 'receivedFrom-year': '2026' },
      'Received from must be a real date, like 27 3 2026',
      {},
    ],
    [
      'a date with a missing part',
      { 'receivedTo-day': '3', 'receivedTo-year': '2026' },
      'Received to must be a real date, like 27 3 2026',
      {},
    ],
    [
      'a two-digit year',
      { 'receivedTo-day': '3', 'receivedTo-month': '4', 'receivedTo-year': '26' },
      'Received to must be a real date, like 27 3 2026',
      {},
    ],
    [
      'dates the wrong way round, keeping the start',
      {
        'receivedFrom-day': '2',
        'receivedFrom-month': '3',
        'receivedFrom-year': '2026',
        'receivedTo-day': '1',
        'receivedTo-month': '3',
        'receivedTo-year': '2026',
      },
      'Received to must be the same as or after received from',
      { receivedFrom: '2026-03-02' },
    ],
    ['a one-letter name', { q: 'a' }, 'Enter at least 2 characters of a name, or a full reference, postcode or email address', {}],
    ['a very long search', { q: 'x'.repeat(101) }, 'Search must be 100 characters or fewer', {}],
    ['a made-up cursor', { after: 'not-a-cursor' }, 'The page link was not recognised, so this is the first page of results', {}],
    [
      'a cursor for the other sort',
      { after: encodeCursor('2026-03-01', id) },
      'The page link was not recognised, so this is the first page of results',
      {},
    ],
    [
      'a cursor with a bad id',
      { after: encodeCursor('2026-03-01T09:30:00.000Z', "1' OR '1'='1") },
      'The page link was not recognised, so this is the first page of results',
      {},
    ],
    [
      'a cursor with a bad date',
      { sort: 'deadline', before: encodeCursor('2026-02-30', id) },
      'The page link was not recognised, so this is the first page of results',
      { sort: 'deadline' },
    ],
  ])('ignores %s with a message', (_name, input, message, expected) => {
    const parsed = parseCaseListQuery(input);
    expect(parsed.problems.map((problem) => problem.text)).toEqual([message]);
    expect(parsed.query).toEqual({ ...emptyCaseListQuery, ...expected });
  });

  it('never throws on odd input', () => {
    for (const input of [null, undefined, 'text', 42, { q: { nested: 'x' } }, { status: [{}, 3] }, { after: ['a', 'b'] }]) {
      expect(() => parseCaseListQuery(input)).not.toThrow();
    }
    expect(parseCaseListQuery({ q: { nested: 'x' } }).query.q).toBe('');
  });

  it('gives back the date boxes as typed, so the form can show them', () => {
    const parsed = parseCaseListQuery({ 'receivedFrom-day': '31', 'receivedFrom-month': '2', 'receivedFrom-year': '2026' });
    expect(parsed.dates.receivedFrom).toEqual({ day: '31', month: '2', year: '2026' });
    expect(parsed.problems[0]?.href).toBe('#receivedFrom-day');
  });
});

describe('classifySearch', () => {
  it.each([
    ['ASB-2026-7KQ3XM', 'reference'],
    ['asb20267kq3xm', 'reference'],
    ['DE11 0AH', 'postcode'],
    ['b1 1aa', 'postcode'],
    ['someone@example.com', 'email'],
    ['Pat', 'name'],
    ['ASB-2026', 'name'],
    ['7KQ3XM', 'name'],
  ])('%j is a %s search', (text, kind) => {
    expect(classifySearch(text)?.kind).toBe(kind);
  });
});

describe('containsPattern', () => {
  it.each([
    ['pat', '%pat%'],
    ['100%', '%100\\%%'],
    ['a_b', '%a\\_b%'],
    ['back\\slash', '%back\\\\slash%'],
  ])('%j -> %j', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });
});

describe('cursors and links', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor('2026-03-01T09:30:00.000Z', id), 'after', 'received')).toEqual({
      direction: 'after',
      key: '2026-03-01T09:30:00.000Z',
      id,
    });
    expect(decodeCursor(encodeCursor(null, id), 'before', 'received')).toBeNull();
  });

  it.each<[Partial<CaseListQuery>, string]>([
    [{}, '/admin/cases'],
    [{ statuses: ['received'], deadline: 'today' }, '/admin/cases?status=received&deadline=today'],
    [{ statuses: ['acknowledged', 'closed'], sort: 'deadline' }, '/admin/cases?status=acknowledged&status=closed&sort=deadline'],
    [{ q: 'de11 0ah', channel: 'phone', sort: 'received' }, '/admin/cases?q=de11+0ah&channel=phone'],
    [
      { receivedFrom: '2026-04-01', receivedTo: '2027-03-31' },
      '/admin/cases?receivedFrom-day=1&receivedFrom-month=4&receivedFrom-year=2026&receivedTo-day=31&receivedTo-month=3&receivedTo-year=2027',
    ],
  ])('links to %j as %s', (query, href) => {
    expect(caseListHref(query)).toBe(href);
  });

  it('puts the cursor in the link, and the link parses back to the same query', () => {
    const query: CaseListQuery = {
      ...emptyCaseListQuery,
      statuses: ['received'],
      q: 'pat',
      search: { kind: 'name', value: 'pat' },
      sort: 'deadline',
    };
    const href = caseListHref(query, { direction: 'after', key: '2026-05-05', id });
    const params = Object.fromEntries([...new URL(href, 'http://x').searchParams.entries()]);
    expect(parseCaseListQuery(params).query).toEqual({ ...query, cursor: { direction: 'after', key: '2026-05-05', id } });
  });
});
