/** Officer roles, least to most trusted: a manager can do all an officer can, and so on. */
export const officerRoles = ['officer', 'manager', 'administrator'] as const;
export type OfficerRole = (typeof officerRoles)[number];

export const roleLabels: Record<OfficerRole, string> = {
  officer: 'ASB officer',
  manager: 'Manager',
  administrator: 'Administrator',
};

export function hasRole(actual: OfficerRole, required: OfficerRole): boolean {
  return officerRoles.indexOf(actual) >= officerRoles.indexOf(required);
}

export function isOfficerRole(value: unknown): value is OfficerRole {
  return typeof value === 'string' && (officerRoles as readonly string[]).includes(value);
}
