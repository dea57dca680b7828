# Fewo PMS: one image for the web process (gunicorn) and the RQ worker.
#   docker build --build-arg SOURCE_COMMIT="$(git rev-parse --short=12 HEAD)" -t fewo-pms .
#   web:        docker run -p 8000:8000 --env-file .env fewo-pms
#   worker:     docker run --env-file .env --no-healthcheck fewo-pms scripts/start_worker.sh
#   migrations: docker run --env-file .env fewo-pms flask db upgrade
FROM python:3.11-slim

ARG SOURCE_COMMIT=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOURCE_COMMIT=${SOURCE_COMMIT} \
    FLASK_APP=wsgi \
    PORT=8000 \
    WEB_CONCURRENCY=2

RUN useradd --create-home --uid 10001 --user-group fewo \
    && mkdir -p /data/media && chown fewo:fewo /data/media

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
# Code stays owned by root: the app user can read and run it, never rewrite it.
COPY . .
RUN chmod 0755 scripts/*.sh

USER fewo
EXPOSE 8000
# Liveness only: /health is 200 while the process serves (readiness is for the load balancer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)" || exit 1

# One request log line comes from the app itself (method, path, status, duration, request id),
# so gunicorn's access log stays off. SIGTERM: gunicorn finishes in-flight requests.
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --threads 4 --graceful-timeout 30 wsgi:app"]
