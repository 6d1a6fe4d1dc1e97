import { z } from 'zod';

/**
 * What a council configures about itself. The defaults are South Derbyshire's published values
 * (shared/seeds/south-derbyshire-asb-case-review-page.txt); another council supplies its own
 * file through COUNCIL_CONFIG_FILE.
 */
export const councilSchema = z.object({
  name: z.string().min(1),
  partnershipName: z.string().min(1),
  serviceName: z.string().min(1),
  contact: z.object({
    name: z.string().min(1),
    role: z.string().min(1),
    team: z.string().min(1),
    address: z.array(z.string().min(1)).min(1),
    phone: z.string().min(1),
    email: z.email(),
  }),
  reportAsbUrl: z.url(),
  complaintsUrl: z.url(),
  pcc: z.object({
    name: z.string().min(1),
    appealUrl: z.url(),
    appealWithinWorkingDays: z.number().int().positive(),
  }),
  threshold: z.object({
    minimumIncidents: z.number().int().min(1).max(3),
    windowMonths: z.number().int().min(1).max(6),
    lateReportMonths: z.number().int().min(1),
    singleHateIncidentMeets: z.boolean(),
    householdsVariant: z.number().int().min(2).nullable(),
  }),
  deadlines: z.object({
    acknowledgementWorkingDays: z.number().int().positive(),
    thresholdDecisionWorkingDays: z.number().int().positive(),
    agencyInformationWorkingDays: z.number().int().positive(),
    reviewMeetingWorkingDays: z.number().int().positive(),
    outcomeLetterWorkingDays: z.number().int().positive(),
  }),
  partnerAgencies: z.array(z.string().min(1)),
  retentionMonths: z.number().int().positive(),
});

export type Council = z.infer<typeof councilSchema>;

export const southDerbyshire: Council = {
  name: 'South Derbyshire District Council',
  partnershipName: 'South Derbyshire Community Safety Partnership',
  serviceName: 'Apply for an Anti-Social Behaviour Case Review',
  contact: {
    name: 'Claire Rawlins',
    role: 'Anti-Social Behaviour Officer',
    team: 'Communities Team',
    address: ['South Derbyshire District Council', 'Civic Offices', 'Civic Way', 'Swadlincote', 'DE11 0AH'],
    phone: '01283 595798',
    email: 'community.safety@southderbyshire.gov.uk',
  },
  reportAsbUrl: 'https://www.southderbyshire.gov.uk/our-services/community-safety/anti-social-behaviour',
  complaintsUrl: 'https://www.southderbyshire.gov.uk/contact-us/comments-compliments-and-complaints',
  pcc: {
    name: 'the Office of the Police and Crime Commissioner for Derbyshire',
    appealUrl: 'https://www.derbyshire-pcc.gov.uk/help-support/anti-social-behaviour-case-review/',
    appealWithinWorkingDays: 20,
  },
  // "three or more related incidents of anti-social behaviour, within the last six months"
  threshold: {
    minimumIncidents: 3,
    windowMonths: 6,
    lateReportMonths: 1,
    singleHateIncidentMeets: false,
    householdsVariant: null,
  },
  deadlines: {
    acknowledgementWorkingDays: 5,
    thresholdDecisionWorkingDays: 10,
    agencyInformationWorkingDays: 10,
    reviewMeetingWorkingDays: 25,
    outcomeLetterWorkingDays: 5,
  },
  partnerAgencies: [
    'Derbyshire Constabulary',
    'South Derbyshire District Council Housing',
    'South Derbyshire District Council Environmental Health',
    'Derbyshire County Council Adult Social Care',
    'Derbyshire County Council Children’s Services',
    'NHS Derby and Derbyshire Integrated Care Board',
    'Registered housing providers',
  ],
  retentionMonths: 72,
};
