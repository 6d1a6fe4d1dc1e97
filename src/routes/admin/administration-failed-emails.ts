import { Router } from 'express';
import type { Services } from '../../composition.ts';
import { formatDateTime } from './administration-format.ts';

/** Emails the outbox worker gave up on, and sending one again; emails held by a worker that stopped. Any officer. */
export function failedEmailRoutes(services: Services): Router {
  const router = Router();
  const { administration } = services;

  router.get('/', async (req, res) => {
    const [messages, stale] = await Promise.all([administration.failedEmails(), administration.staleClaims()]);
    res.render('admin/administration/failed-emails', {
      title: 'Failed emails',
      queued: req.query.queued === '1',
      messages: messages.map((message) => ({ ...message, created: formatDateTime(message.createdAt) })),
      stale: stale.map((message) => ({
        ...message,
        claimed: message.claimedAt ? formatDateTime(message.claimedAt) : 'Not recorded',
        leaseRanOut: formatDateTime(message.leaseUntil),
      })),
    });
  });

  router.post('/:id/retry', async (req, res) => {
    const officer = req.officer;
    if (!officer) throw new Error('failed email routes run after requireOfficer');
    const result = await administration.retryFailedEmail(officer, req.params.id);
    if (result === 'not-found') return res.status(404).render('errors/not-found', { title: 'Page not found' });
    // Already back in the queue (a second click, or another officer): the list no longer shows it.
    res.redirect(303, '/admin/failed-emails?queued=1');
  });

  return router;
}
