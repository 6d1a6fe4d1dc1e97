import path from 'node:path';
import express, { type Express } from 'express';
import type { Services } from './composition.ts';
import { bodyParsing } from './middleware/body-parsing.ts';
import { compression } from './middleware/compression.ts';
import { bodyWithoutControls, pathWithoutControls, queryWithoutControls } from './middleware/control-characters.ts';
import { csrfLocals, csrfProtection } from './middleware/csrf.ts';
import { errorHandler, notFound } from './middleware/errors.ts';
import { idempotencyKeys } from './middleware/idempotency.ts';
import { locals } from './middleware/locals.ts';
import { noStore } from './middleware/no-store.ts';
import { requestSafetyContext } from './middleware/repeatable.ts';
import { requestId } from './middleware/request-id.ts';
import { requestLog } from './middleware/request-log.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { sessions } from './middleware/session.ts';
import { publicFiles, staticAssets } from './middleware/static-assets.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { applyRoutes } from './routes/apply/index.ts';
import { healthRoutes } from './routes/health.ts';
import { figuresRoutes } from './routes/public/figures.ts';
import { paperFormRoutes } from './routes/public/paper-forms.ts';
import { publicRoutes } from './routes/public/index.ts';
import { useViews } from './views.ts';

const publicDir = path.resolve(import.meta.dirname, '../public');

/** The portal's Express app. Middleware runs in this order, top to bottom. */
export function createApp(services: Services): Express {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Every route reads its query string through this: no control characters, one line each.
  app.set('query parser', queryWithoutControls);
  useViews(app);
  if (config.env === 'production') app.enable('view cache');

  app.use(requestId());
  app.use(requestLog(services.logger));
  app.use(compression());
  app.use(securityHeaders({ production: config.env === 'production' }));
  app.use(locals(() => services.config.council));
  app.use(pathWithoutControls());
  const assets = staticAssets(publicDir);
  app.locals.assetPath = assets.assetPath;
  app.use(assets.serve);
  app.use(publicFiles(publicDir, { index: false, maxAge: config.env === 'production' ? '1h' : 0 }));
  app.use(healthRoutes(services));
  // The information pages, published figures and paper forms are the same for everyone and only
  // read: no session, no body. Mounted before the session so a visitor without one costs no
  // session id, and one with one no database read.
  app.use(publicRoutes(services));
  app.use(figuresRoutes(services));
  app.use(paperFormRoutes(services));

  app.use(bodyParsing(config.uploadMaxBytes));
  app.use(bodyWithoutControls());
  app.use(sessions(services.sessionStore, config.session));
  app.use(csrfProtection({ secureCookie: config.session.secureCookie, logger: services.logger }));
  app.use(csrfLocals());
  app.use(idempotencyKeys());
  app.use(requestSafetyContext());

  app.use('/apply', noStore(), applyRoutes(services));
  app.use('/admin', noStore(), adminRoutes(services));

  app.use(notFound());
  app.use(errorHandler(services.logger));
  return app;
}
