# One image for the five services, the web console, hubctl and the provider sandbox (docker-compose.yml and deploy/
# run it with a different command each; the sandbox only in compose's demo profile).  docker build -t integration-hub:dev .
#
# The build stage's Swift must be at least the newest swift-tools-version among the dependencies
# (6.2 today); keep it on the toolchain the project builds with (6.3; `swift --version`). The runtime stage
# must be the same distribution as the build stage (glibc, libhiredis).
ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:24.04

# ---- build -------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libhiredis-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Package.resolved is not copied (.dockerignore): dependencies resolve here against their registries.
# Then stage the executables and any resource bundles (e.g. the migrations), and record which
# distribution packages provide the shared libraries they still link (libhiredis, glibc, ...).
RUN set -eu; \
    swift package resolve; \
    swift build -c release --static-swift-stdlib; \
    bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"; \
    mkdir -p /staging/app; \
    for exe in catalog-service connection-service oauth-service sync-worker webhook-service web-console hubctl provider-sandbox; do \
        cp "$bin/$exe" /staging/app/; \
        strip --strip-debug "/staging/app/$exe"; \
    done; \
    find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/app/ \; ; \
    ldd /staging/app/catalog-service /staging/app/connection-service /staging/app/oauth-service \
        /staging/app/sync-worker /staging/app/webhook-service /staging/app/web-console /staging/app/hubctl /staging/app/provider-sandbox \
      | awk '/=> \// { print $3 }' | sort -u \
      | while read -r lib; do dpkg -S "*/$(basename "$lib")" | cut -d: -f1; done \
      | sort -u > /staging/runtime-packages.txt; \
    cat /staging/runtime-packages.txt

# ---- runtime -----------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY --from=build /staging/runtime-packages.txt /tmp/runtime-packages.txt
# curl is for the container healthchecks (GET /readyz).
# hadolint ignore=DL3008,SC2046
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates tzdata curl $(cat /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --system --gid 10001 hub \
 && useradd --system --uid 10001 --gid hub --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin hub
COPY --from=build /staging/app /app
# Every shared library the executables need must resolve in this image.
RUN ! ldd /app/catalog-service /app/connection-service /app/oauth-service /app/sync-worker \
        /app/webhook-service /app/web-console /app/hubctl /app/provider-sandbox | grep 'not found'
ENV PATH="/app:${PATH}" \
    HUB_HOST=0.0.0.0 \
    HUB_LOG_FORMAT=json
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
CMD ["hubctl", "--help"]
