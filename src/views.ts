import path from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';

export const viewsDir = path.resolve(import.meta.dirname, '../views');

/**
 * Every include names its file from the views folder (`include('/components/input')`): EJS
 * resolves such a path by joining it to `root`, where a relative one costs a file-system check on
 * every include of every render.
 */
const ejsOptions = (cache: boolean) => ({ cache, root: viewsDir });

/**
 * EJS with layouts: a page view renders first, then its layout (`layout` local, default
 * 'layouts/public'; false for none) wraps it as `body`.
 */
export function useViews(app: Express): void {
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', (file, options, callback) => {
    const locals = options as Record<string, unknown>;
    ejs.renderFile(file, locals, ejsOptions(app.get('view cache') === true), (error, body) => {
      if (error) return callback(error);
      const layout = locals.layout === undefined ? 'layouts/public' : locals.layout;
      if (layout === false) return callback(null, body);
      ejs.renderFile(
        path.join(viewsDir, `${String(layout)}.ejs`),
        { ...locals, body },
        ejsOptions(app.get('view cache') === true),
        callback,
      );
    });
  });
}

/** Renders a template outside a request (emails). */
export function renderTemplate(name: string, data: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(viewsDir, `${name}.ejs`), data, ejsOptions(true));
}
