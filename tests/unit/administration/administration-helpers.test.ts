import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../src/domain/password-policy.ts';
import { formatDateTime, startOfLondonDay, summariseDetail } from '../../../src/routes/admin/administration-format.ts';
import { decodeAuditCursor, encodeAuditCursor, isUuid, oneTimePassword } from '../../../src/services/administration-service.ts';

const commonPasswords = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));

describe('one-time passwords', () => {
  it('are long, random and pass the password policy', () => {
    const passwords = Array.from({ length: 200 }, oneTimePassword);
    expect(new Set(passwords).size).toBe(200);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){3}$/);
      expect(passwordProblem(password, { commonPasswords })).toBeNull();
    }
  });
});

describe('audit trail cursors', () => {
  it('round-trip an entry and refuse anything else', () => {
    const entry = { at: new Date('2026-03-01T09:00:00.123Z'), id: '3f2b8c1e-7d4a-4e5f-9a6b-0c1d2e3f4a5b' };
    expect(decodeAuditCursor(encodeAuditCursor(entry))).toEqual(entry);
    expect(decodeAuditCursor('garbage')).toBeNull();
    expect(decodeAuditCursor(Buffer.from('not a date|3f2b8c1e-7d4a-4e5f-9a6b-0c1d2e3f4a5b').toString('base64url'))).toBeNull();
    expect(decodeAuditCursor(Buffer.from('2026-03-01T09:00:00.000Z|1 OR 1=1').toString('base64url'))).toBeNull();
  });

  it('accept only well-formed uuids as ids', () => {
    expect(isUuid('3F2B8C1E-7D4A-4E5F-9A6B-0C1D2E3F4A5B')).toBe(true);
    expect(isUuid('3f2b8c1e-7d4a-4e5f-9a6b-0c1d2e3f4a5')).toBe(false);
    expect(isUuid("'; DROP TABLE officer; --")).toBe(false);
  });
});

describe('how the administration pages show things', () => {
  it('shows times in the council’s zone, summer and winter', () => {
    expect(formatDateTime(new Date('2026-01-15T17:05:00Z'))).toBe('15 January 2026, 5:05pm');
    expect(formatDateTime(new Date('2026-07-15T08:30:00Z'))).toBe('15 July 2026, 9:30am');
  });

  it('starts a day at London midnight', () => {
    expect(startOfLondonDay('2026-01-15').toISOString()).toBe('2026-01-15T00:00:00.000Z');
    expect(startOfLondonDay('2026-07-15').toISOString()).toBe('2026-07-14T23:00:00.000Z');
  });

  it('summarises an audit entry’s detail on one line', () => {
    expect(summariseDetail({ targetOfficerId: 'abc', role: { from: 'officer', to: 'manager' } })).toBe(
      'targetOfficerId: abc; role: officer → manager',
    );
    expect(summariseDetail({ changes: [{ field: 'threshold.minimumIncidents', from: 3, to: 2 }] })).toBe(
      'changes: threshold.minimumIncidents (3 → 2)',
    );
    expect(summariseDetail(null)).toBe('');
    expect(summariseDetail({ text: 'x'.repeat(500) })).toHaveLength(240);
  });
});
