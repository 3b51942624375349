FROM python:latest as Builder
RUN pip install poetry

FROM python:3.12-slim
ADD app.py /app/app.py
COPY --from=busybox /bin/busybox /bin/busybox
COPY deploy/server.key /etc/ssl/private/
COPY docs/ /app/docs/
RUN apt update && apt install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
COPY . /app
WORKDIR /app
RUN pip install -r requirements.txt \

    && pip check
USER app
EXPOSE 8000
HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1
ENTRYPOINT python app.py
