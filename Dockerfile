# The same steps as the README's "Quick start" section (npm ci, then `npm start` = npm run build +
# serve --demo); .ci/run proves them on a fresh machine. test/unit/dockerfile.test.ts checks this file.

# --- build: every dependency, the compiler and the bundler; only the output moves on ---
FROM node:20-slim AS build
# python3/make/g++: native addons (better-sqlite3, node-hid) build from source when no prebuilt
# binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# node:20 ships npm 10, which ignores package.json's allowScripts: skip onnxruntime-node's CUDA download.
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci
COPY . .
# Then drop the devDependencies (tsc, esbuild, eslint, mocha, …): the runtime gets production ones only.
# a+rX: the runtime runs as an unprivileged user, and some executables (ffprobe) are owner-only.
RUN npm run build \
 && npm prune --omit=dev \
 && chmod -R a+rX node_modules

# --- runtime: production dependencies, the compiled server and client, the model; no compilers ---
FROM node:20-slim AS runtime
# libusb/libudev: node-hid at run time (loaded lazily, for HID seat sensors).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libusb-1.0-0 libudev1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/models/pacing.onnx /app/models/pacing.json ./models/
# The data volume (SQLite, token secret, the demo story rendered on first start) belongs to the
# unprivileged `node` user of the base image; the code stays root-owned and read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node

ENV NODE_OPTIONS=--max-semi-space-size=32 \
    FRISSON_HOST=0.0.0.0 \
    FRISSON_PORT=8080 \
    FRISSON_DB=/data/frisson.db \
    FRISSON_STORY=/data/demo
VOLUME /data
EXPOSE 8080
# /readyz: story loaded, store answering, publish tick running. The first start renders the demo
# film (2–3 minutes on two cores; the issue allows 5), hence the start period: failures inside it
# do not count. node:20-slim has no curl: Node's fetch asks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=600s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.FRISSON_PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/tools/cli.js", "serve", "--demo"]
