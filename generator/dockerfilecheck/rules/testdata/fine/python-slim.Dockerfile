FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# GPG_KEY and the *_VERSION arguments are not secrets.
ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305
ARG POETRY_VERSION=1.8.3
ARG APP_USER_ID=10001

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid ${APP_USER_ID} --gid app --home-dir /app app

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=10001:10001 . .

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi:application"]
