# legacyd in a container. Debian trixie ships CRIU 4.x, which works on current kernels, so
# no private prefix is needed here. Run it privileged, in the host's pid namespace, with the
# host's cgroup tree (it starts containers with runc):
#   docker run -d --name legacyd --privileged --pid=host \
#     -v /sys/fs/cgroup:/sys/fs/cgroup -v /run/legacyd:/run/legacyd \
#     -v /var/lib/legacyd-bundles:/var/lib/legacyd-bundles -p 127.0.0.1:9323:9323 legacyd
FROM node:20-trixie-slim AS build
# A C compiler for the native helper (src/supervisor/native/legacyd-helper.c).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY api ./api
COPY src ./src
COPY bench ./bench
COPY scripts/build-native.sh ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:20-trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends runc criu iptables busybox-static ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/legacyd
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/package.json ./package.json
COPY api ./api
RUN ln -s /opt/legacyd/dist/src/cli/legacyd.js /usr/local/bin/legacyd \
 && ln -s /opt/legacyd/dist/src/cli/legacyctl.js /usr/local/bin/legacyctl
VOLUME ["/run/legacyd"]
EXPOSE 9323
ENTRYPOINT ["node", "/opt/legacyd/dist/src/cli/legacyd.js", "--listen", "unix:///run/legacyd/legacyd.sock", "--state-dir", "/run/legacyd", "--metrics-listen", "0.0.0.0:9323", "--criu", "/usr/sbin/criu"]
