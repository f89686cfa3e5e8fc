# The same steps as the README's "Run it" section; .ci/run proves them on a fresh machine.
FROM node:20-slim

# libusb/libudev: node-hid at run time (loaded lazily). python3/make/g++: native addons
# (better-sqlite3, node-hid) build from source when no prebuilt binary can be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libusb-1.0-0 libudev1 python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# node:20 ships npm 10, which ignores package.json's allowScripts: skip onnxruntime-node's CUDA download.
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci
COPY . .
RUN npm run build

ENV NODE_OPTIONS=--max-semi-space-size=32 \
    FRISSON_HOST=0.0.0.0 \
    FRISSON_PORT=8080 \
    FRISSON_DB=/data/frisson.db \
    FRISSON_STORY=/data/demo
VOLUME /data
EXPOSE 8080
CMD ["node", "dist/server/cli.js", "serve", "--demo"]
