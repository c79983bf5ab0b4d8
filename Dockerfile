# The companion service: `docker build -t pipeline-scribe .` from the repository's root (the service
# reads the package's metadata from force-app and its model from the workspaces beside it).
#   web:    docker run --env-file scribe.env -p 3000:3000 pipeline-scribe
#   worker: docker run --env-file scribe.env pipeline-scribe node companion-service/bin/scribe.js worker
# README.md, "Deploying on a managed Postgres", lists what scribe.env holds.

FROM node:22-bookworm-slim AS install
WORKDIR /app
# The manifests first, so a change to the sources reuses the installed dependencies.
COPY package.json package-lock.json ./
COPY companion-service/package.json companion-service/
COPY force-app-model/package.json force-app-model/
COPY local-salesforce/package.json local-salesforce/
# Shipped dependencies only: no test runner, linter, Salesforce CLI or Node download (the image has Node).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY sfdx-project.json ./
# The local org's sample data, for a look without a real org (SF_ORG=local, `scribe start`).
COPY scripts/data scripts/data
COPY force-app force-app
COPY force-app-model force-app-model
COPY local-salesforce local-salesforce
COPY companion-service companion-service

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    SCRIBE_HOST=0.0.0.0 \
    SCRIBE_PORT=3000 \
    SCRIBE_DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only to the service; only its data folder (the embedded Postgres, when no
# DATABASE_URL is set) is its own.
COPY --from=install /app /app
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 3000
# Stops on SIGTERM after the conversations in hand (SCRIBE_SHUTDOWN_SECONDS); node runs as PID 1 and
# takes the signal itself.
STOPSIGNAL SIGTERM
CMD ["node", "companion-service/bin/scribe.js", "serve"]
