# syntax=docker/dockerfile:1

# The naive Python image docs/benchmarks.md compares dgen's output with: one
# stage, the whole repository copied before the install (so any edit
# installs every package again), pip's cache kept, running as root.

# BASE is the image of dgen's build stage for the same app.
ARG BASE=python:3.13-slim-trixie
FROM ${BASE}
WORKDIR /app
COPY . .
ARG INSTALL=true
RUN eval "$INSTALL"
ARG START="python app.py"
ENV START=${START}
CMD ["sh", "-c", "exec $START"]
