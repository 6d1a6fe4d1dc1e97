# The production shape of the portal (README, "Production"). Two stages: the first installs every
# dependency and builds (Prisma client, stylesheet, tsc into dist/); the second holds only the
# runtime dependencies (`npm ci --omit=dev`), the compiled server and what it reads at run time
# (views/, public/, prisma/migrations), and runs as the unprivileged `node` user.
# Production needs DATABASE_URL and SESSION_SECRET (README, "Configuration").

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
COPY views ./views
COPY public ./public
# The embedded database's template (build:pglite) is left out: production runs on Postgres.
RUN npm run generate && npm run build:css && npm run build:js

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY views ./views
COPY prisma ./prisma
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same node flags as `npm start` (tests/unit/dockerfile.test.ts checks they agree). The other
# commands, run in the same image: node dist/data/migrate-cli.js, node dist/jobs/outbox-cli.js,
# node dist/cli/officer-create.js --email ..., node dist/cli/retention.js.
CMD ["node", "--max-old-space-size=128", "dist/server.js"]
