# Keel's image: one for the API, the worker, migrations and the local model server (each compose
# service runs one npm script of it; docker-compose.temporal.yml). Node 24, as package.json pins.
FROM node:24.21.0-bookworm-slim

# bubblewrap is the bash tool's sandbox (tools/sandbox/); git and procps are what agents' commands
# commonly reach for.
RUN apt-get update \
  && apt-get install -y --no-install-recommends bubblewrap ca-certificates git procps \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only: tsx runs the TypeScript, so there is no compile step; the `node`
# devDependency is left out and the image's own Node 24 runs everything.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .

# The workflow bundle is built once here, so workers start without webpack (KEEL_WORKFLOW_BUNDLE).
RUN npm run --silent build:workflows \
  && mkdir -p /var/lib/keel \
  && chown node:node /var/lib/keel

# Not root: the sandbox's process limit (RLIMIT_NPROC) does not hold for root.
USER node
ENV NODE_ENV=production \
    KEEL_HOME=/var/lib/keel \
    KEEL_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
EXPOSE 3000 4010 9464
CMD ["npm", "run", "--silent", "start:api"]
