import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { sendPrintPage } from '../print-response.ts';
import { applyStartPath, pageHelpers } from './index.ts';

/**
 * The paper forms anyone can print (no sign-in), for a resident without the internet or an
 * officer posting a form: the application form, the consent form and the guidance notes. Each is
 * an A4 print page, and a PDF of the same page with ?format=pdf.
 */
export const paperForms = [
  {
    path: '/forms/application-form',
    view: 'print/application-form',
    title: 'ASB Case Review application form',
    fileName: 'asb-case-review-application-form',
  },
  {
    path: '/forms/consent-form',
    view: 'print/consent-form',
    title: 'ASB Case Review consent form',
    fileName: 'asb-case-review-consent-form',
  },
  {
    path: '/forms/guidance-notes',
    view: 'print/guidance-notes',
    title: 'Guidance notes for the ASB Case Review application form',
    fileName: 'asb-case-review-guidance-notes',
  },
] as const;

/** Room on the paper form for this many incidents (the online form takes them one at a time). */
export const paperIncidentSlots = 6;

/** The five strands of hate crime, as the online form words them (views/apply/impact.ejs). */
export const hateTypeLabels = ['Disability', 'Race', 'Religion or belief', 'Sexual orientation', 'Transgender identity'];

export function paperFormRoutes(services: Pick<Services, 'config' | 'pdf'>): Router {
  const router = Router();
  const { config } = services;

  for (const form of paperForms) {
    router.get(form.path, async (req, res) => {
      // Read per request: an administrator may change the council's settings while the portal runs.
      const helpers = pageHelpers(config.council, {
        sessionIdleMinutes: config.session.idleMinutes,
        uploadMaxBytes: config.uploadMaxBytes,
      });
      await sendPrintPage(req, res, services.pdf, {
        view: form.view,
        title: form.title,
        fileName: form.fileName,
        personal: false,
        backLink: { href: '/contact', text: 'Get help or a paper form' },
        locals: {
          ...helpers,
          applyOnlineUrl: `${config.baseUrl}${applyStartPath}`,
          privacyUrl: `${config.baseUrl}/privacy`,
          consentFormUrl: `${config.baseUrl}/forms/consent-form`,
          incidentSlots: paperIncidentSlots,
          hateTypeLabels,
        },
      });
    });
  }

  return router;
}
