# Holdspace application image: `holdspace serve` (eventlet) under deploy/watchdog.py, as an
# unprivileged user on HOLDSPACE_PORT (8000 unless set).
# Build: docker build -t holdspace .   Run the whole stack: see docker-compose.yml and README.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/holdspace \
    PATH=/opt/holdspace/bin:$PATH \
    HOLDSPACE_ENV=production \
    HOLDSPACE_PORT=8000 \
    HOLDSPACE_INSTANCE=/var/lib/holdspace

RUN groupadd --system --gid 10001 holdspace \
    && useradd --system --uid 10001 --gid holdspace --home-dir /srv/holdspace \
        --shell /usr/sbin/nologin holdspace \
    && python -m venv "$VIRTUAL_ENV" \
    && mkdir -p /srv/holdspace "$HOLDSPACE_INSTANCE" \
    && chown holdspace:holdspace "$HOLDSPACE_INSTANCE" \
    && chmod 0750 "$HOLDSPACE_INSTANCE"

WORKDIR /srv/holdspace

# Dependencies first (read from pyproject.toml), so code changes don't reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --upgrade pip \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. Editable, because templates/, static/ and migrations/ live beside app/.
COPY app ./app
COPY templates ./templates
COPY static ./static
COPY migrations ./migrations
COPY deploy/watchdog.py ./deploy/watchdog.py
RUN pip install --no-deps -e . \
    && python -m compileall -q app

USER holdspace
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['HOLDSPACE_PORT']}/healthz\", timeout=4).status != 200)"]

# The watchdog restarts the app when it stops answering /livez (deploy/watchdog.py); `serve`
# reads its port from HOLDSPACE_PORT. Migrations run first here; the compose stack runs them
# once in its own `migrate` service and starts the apps with --no-migrate.
CMD ["python", "deploy/watchdog.py", "--", "holdspace", "serve", "--host", "0.0.0.0"]
