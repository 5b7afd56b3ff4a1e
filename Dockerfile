# One image for every service of Credits; the command picks the service:
#   api     node bin/credits.js serve api      (HTTP API on PORT, /healthz)
#   worker  node bin/credits.js serve worker   (Temporal worker, /healthz on WORKER_HEALTH_PORT)
#   bots    node bin/credits.js serve bots     (Slack / Discord)
#   migrate node bin/credits.js migrate        (one-shot; safe to run concurrently)
# Sources run through tsx's loader inside that one node process (which gets SIGTERM itself and
# stops cleanly): there is no build step, the image holds what the repository holds.
# test/runtime/image-deps.test.ts replays this file's dependency step and CMD outside Docker.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY integrations/n8n/package.json integrations/n8n/package.json
COPY patches ./patches
# Runtime dependencies only. Install scripts are skipped: the embedded PostgreSQL of `npm start`
# is not used in containers (DATABASE_URL is always set there). The postgres.js fix (patches/)
# is applied explicitly, since skipping scripts skips the postinstall that applies it elsewhere.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspaces=false \
 && node_modules/.bin/patch-package --error-on-fail

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    WORKER_HEALTH_PORT=9090 \
    TEMPORAL_NAMESPACE=default \
    TEMPORAL_TASK_QUEUE=credits
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN chown -R node:node /app
USER node
EXPOSE 3000 9090
# The API's health; compose gives the worker and the bots their own checks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bin/credits.js", "serve", "api"]
