/**
 * Officer passwords, as OWASP ASVS 5.0 asks: length over composition (no "must contain a digit"
 * rules, no forced expiry), a ceiling that keeps hashing cheap, and no password from a list of
 * common or breached ones. The list is passed in (see services/auth-service.ts).
 */
export const passwordMinimumLength = 12;
export const passwordMaximumLength = 128;

export function passwordProblem(password: string, context: { commonPasswords: ReadonlySet<string>; email?: string }): string | null {
  const length = [...password].length;
  if (length === 0) return 'Enter a password';
  if (length < passwordMinimumLength) return `Password must be ${passwordMinimumLength} characters or more`;
  if (length > passwordMaximumLength) return `Password must be ${passwordMaximumLength} characters or less`;
  const lower = password.toLowerCase();
  if (context.commonPasswords.has(lower)) return 'This password is too common. Choose a password that is harder to guess, such as three random words';
  if (/^(.)\1+$/.test(password)) return 'Password must not be one character repeated';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Password must not contain your email address';
  return null;
}
