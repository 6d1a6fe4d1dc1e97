import path from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';

export const viewsDir = path.resolve(import.meta.dirname, '../views');

/**
 * EJS with layouts: a page view renders first, then its layout (`layout` local, default
 * 'layouts/public'; false for none) wraps it as `body`.
 */
export function useViews(app: Express): void {
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', (file, options, callback) => {
    const locals = options as Record<string, unknown>;
    ejs.renderFile(file, locals, { cache: app.get('view cache') === true }, (error, body) => {
      if (error) return callback(error);
      const layout = locals.layout === undefined ? 'layouts/public' : locals.layout;
      if (layout === false) return callback(null, body);
      ejs.renderFile(
        path.join(viewsDir, `${String(layout)}.ejs`),
        { ...locals, body },
        { cache: app.get('view cache') === true },
        callback,
      );
    });
  });
}

/** Renders a template outside a request (emails). */
export function renderTemplate(name: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(viewsDir, `${name}.ejs`), data, { cache: true });
}
