# syntax=docker/dockerfile:1
# neariq-video orchestrator: Koa API, job runner, webhooks. Build from the repo root:
#   docker build -f docker/orchestrator.Dockerfile -t neariq-orchestrator .

# --- dependencies: build tools only here, in case a native module has no prebuilt binary ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime ---
FROM node:20-bookworm-slim
# The distribution's current ffmpeg (with xfade) instead of the 2018 build bundled by @ffmpeg-installer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY shared ./shared
COPY orchestrator/src ./orchestrator/src
# Fonts for the local provider; media fixture for /readyz/full; music beds for composites.
COPY fixtures ./fixtures
# /data is the shared media volume; create it (and the compositor's mount points) owned by the
# unprivileged user so a fresh named volume inherits that ownership whichever service mounts it first.
RUN mkdir -p /data/composites /data/compositor && chown -R node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "orchestrator/src/main.ts"]
