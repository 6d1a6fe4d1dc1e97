/**
 * The application form is mounted twice: for residents at /apply, and for officers entering a
 * paper or phone application at /admin/paper-applications. Same steps, same rules; each mount
 * keeps its own draft in the session so an officer's entry never mixes with anything else.
 */
export interface JourneyMount {
  base: string;
  sessionKey: 'draftId' | 'paperDraftId';
  /** Where someone without a draft starts. */
  startPath: string;
  /** Officer entry: no save-and-return, the case page instead of the resident's confirmation. */
  assisted: boolean;
}

export const residentMount: JourneyMount = { base: '/apply', sessionKey: 'draftId', startPath: '/apply/who-is-applying', assisted: false };

export const officerMount: JourneyMount = {
  base: '/admin/paper-applications',
  sessionKey: 'paperDraftId',
  startPath: '/admin/paper-applications',
  assisted: true,
};

declare module 'express-session' {
  interface SessionData {
    /** An officer's paper or phone application in progress. */
    paperDraftId?: string;
  }
}
