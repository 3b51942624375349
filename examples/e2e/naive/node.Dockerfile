# syntax=docker/dockerfile:1

# The naive Node image docs/benchmarks.md compares dgen's output with: one
# stage, the whole repository copied before the install (so any edit
# installs every package again), dev dependencies and npm's cache kept,
# running as root.

# BASE is the image of dgen's build stage for the same app.
ARG BASE=node:24-trixie-slim
FROM ${BASE}
WORKDIR /app
COPY . .
ARG INSTALL="npm install"
RUN eval "$INSTALL"
ARG BUILD=""
RUN if [ -n "$BUILD" ]; then eval "$BUILD"; fi
ARG START="npm start"
ENV START=${START}
CMD ["sh", "-c", "exec $START"]
