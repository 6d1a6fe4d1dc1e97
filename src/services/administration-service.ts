import type { Config } from '../config.ts';
import type { AdministrationRepository } from '../data/administration.ts';
import type { OfficerRepository } from '../data/officers.ts';
import type { AuthService } from './auth-service.ts';

/** Officer accounts, council settings, failed emails and the audit trail. */
export function administrationService(_deps: {
  administration: AdministrationRepository;
  officers: OfficerRepository;
  auth: AuthService;
  config: Config;
  onEmailsQueued: () => void;
}) {
  return {};
}

export type AdministrationService = ReturnType<typeof administrationService>;
