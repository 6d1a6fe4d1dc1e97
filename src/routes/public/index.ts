import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import type { Council } from '../../council.ts';
import {
  eligibilityOutcome,
  incidentBandOptions,
  incidentBandValues,
  yesNoValues,
  type EligibilityAnswers,
} from '../../domain/eligibility.ts';
import { sessionCookieName } from '../../middleware/session.ts';
import { abandonedDraftDays } from '../../services/retention-service.ts';

/**
 * The public information pages (no log-in, no session). Each page's URL and view mirror each
 * other: `/report-asb` renders `views/pages/report-asb.ejs`; `/` renders `pages/start`.
 */
interface PublicPage {
  path: string;
  view: string;
  title: string;
}

export const publicPages = [
  { path: '/', view: 'start', title: 'Anti-Social Behaviour Case Review' },
  {
    path: '/when-not-to-use',
    view: 'when-not-to-use',
    title: 'When not to use the ASB Case Review',
  },
  {
    path: '/report-asb',
    view: 'report-asb',
    title: 'Report the anti-social behaviour first',
  },
  {
    path: '/guidance',
    view: 'guidance',
    title: 'Guidance notes for the application form',
  },
  { path: '/contact', view: 'contact', title: 'Get help or a paper form' },
  { path: '/cookies', view: 'cookies', title: 'Cookies' },
  { path: '/privacy', view: 'privacy', title: 'Privacy notice' },
  {
    path: '/accessibility',
    view: 'accessibility',
    title: 'Accessibility statement',
  },
] as const satisfies readonly PublicPage[];

/** The eligibility check: one GET form that shows its result on the same page. */
export const checkPage = {
  path: '/check-if-you-can-apply',
  view: 'check-if-you-can-apply',
  title: 'Check if you can apply',
} as const satisfies PublicPage;

/** Where "Start now" and "You can still apply" go: the first page of the application. */
export const applyStartPath = '/apply/who-is-applying';

const smallNumberWords = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** 3 -> 'three', 20 -> '20': GOV.UK style writes one to nine (and a few more) as words in prose. */
export function numberInWords(value: number): string {
  return Number.isInteger(value) && value >= 0 ? (smallNumberWords[value] ?? String(value)) : String(value);
}

/** 6 -> 'six months', 1 -> 'month': as in "in the last six months". */
export function lastPeriod(months: number): string {
  return months === 1 ? 'month' : `${numberInWords(months)} months`;
}

/** 5 -> 'five working days', 1 -> 'one working day'. */
export function workingDays(days: number): string {
  return `${numberInWords(days)} working ${days === 1 ? 'day' : 'days'}`;
}

/** Text helpers every public page view receives, next to `council`. */
export function pageHelpers(council: Council, options: { sessionIdleMinutes: number; uploadMaxBytes: number }) {
  return {
    words: numberInWords,
    lastPeriod,
    workingDays,
    applyStartPath,
    sessionIdleMinutes: options.sessionIdleMinutes,
    abandonedDraftDays,
    /** '5MB', as GOV.UK writes file sizes. */
    uploadMaxSize: `${Math.round((options.uploadMaxBytes / 1024 / 1024) * 10) / 10}MB`,
    incidentOptions: incidentBandOptions(council.threshold.minimumIncidents),
  };
}

const questions = {
  reported: {
    message: 'Select yes if you have reported the anti-social behaviour',
    schema: z.enum(yesNoValues),
  },
  incidents: {
    message: 'Select how many related incidents you have reported',
    schema: z.enum(incidentBandValues),
  },
  aboutStaff: {
    message: 'Select yes if your concern is mainly about how staff treated you',
    schema: z.enum(yesNoValues),
  },
} as const;

type QuestionName = keyof typeof questions;
const questionNames = Object.keys(questions) as QuestionName[];

const checkQuerySchema = z.object({
  reported: questions.reported.schema,
  incidents: questions.incidents.schema,
  aboutStaff: questions.aboutStaff.schema,
});

export type CheckResult =
  | { kind: 'blank' }
  | { kind: 'answered'; answers: EligibilityAnswers }
  | {
      kind: 'invalid';
      values: Partial<Record<QuestionName, string>>;
      errors: Partial<Record<QuestionName, string>>;
    };

/** Reads the check's query string: not yet submitted, fully answered, or answered in part. */
export function readCheckQuery(query: Request['query'], minimumIncidents: number): CheckResult {
  const raw = query as Record<string, unknown>;
  if (!questionNames.some((name) => raw[name] !== undefined)) return { kind: 'blank' };
  const parsed = checkQuerySchema.safeParse(raw);
  // With a minimum of one there is no "below" answer to give.
  const belowOffered = incidentBandOptions(minimumIncidents).some((option) => option.value === 'below');
  if (parsed.success && (belowOffered || parsed.data.incidents !== 'below')) {
    return { kind: 'answered', answers: parsed.data };
  }
  const values: Partial<Record<QuestionName, string>> = {};
  const errors: Partial<Record<QuestionName, string>> = {};
  for (const name of questionNames) {
    const value = raw[name];
    const valid =
      questions[name].schema.safeParse(value).success && !(name === 'incidents' && value === 'below' && !belowOffered);
    if (valid) values[name] = value as string;
    else errors[name] = questions[name].message;
  }
  return { kind: 'invalid', values, errors };
}

export function publicRoutes(services: Pick<Services, 'config'>): Router {
  // Built per request: an administrator may change the council's settings while the portal runs.
  const helpersNow = () =>
    pageHelpers(services.config.council, {
      sessionIdleMinutes: services.config.session.idleMinutes,
      uploadMaxBytes: services.config.uploadMaxBytes,
    });
  const router = Router();

  // The cookies page names the cookie as the browser holds it (with its prefix in production).
  const cookieName = sessionCookieName(services.config.session.secureCookie);

  for (const page of publicPages) {
    router.get(page.path, (_req: Request, res: Response) => {
      res.render(`pages/${page.view}`, { ...helpersNow(), sessionCookieName: cookieName, title: page.title });
    });
  }

  router.get(checkPage.path, (req: Request, res: Response) => {
    const result = readCheckQuery(req.query, services.config.council.threshold.minimumIncidents);
    const view = `pages/${checkPage.view}`;
    const common = { ...helpersNow(), title: checkPage.title, backLink: '/' };
    if (result.kind === 'blank') {
      return res.render(view, {
        ...common,
        values: {},
        fieldErrors: {},
        errors: [],
      });
    }
    if (result.kind === 'invalid') {
      const errors = questionNames
        .filter((name) => result.errors[name])
        .map((name) => ({ text: result.errors[name], href: `#${name}` }));
      return res.status(400).render(view, {
        ...common,
        values: result.values,
        fieldErrors: result.errors,
        errors,
      });
    }
    res.render(view, {
      ...common,
      values: result.answers,
      fieldErrors: {},
      errors: [],
      outcome: eligibilityOutcome(result.answers),
    });
  });

  return router;
}
