# A slim, non-root image running the techmatch API server.
# Build: docker build -t techmatch .   Run: docker run -p 8000:8000 -e TECHMATCH_DATABASE_URL=... techmatch
FROM python:3.11-slim AS build
WORKDIR /src
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml requirements.lock README.md ./
COPY app ./app
# Dependencies only: the application runs from /srv/techmatch beside its migrations.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install -c requirements.lock . \
    && /opt/venv/bin/pip uninstall -y techmatch

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /srv/techmatch --create-home techmatch
WORKDIR /srv/techmatch
COPY --from=build /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/srv/techmatch \
    PYTHONUNBUFFERED=1 \
    TECHMATCH_DATABASE_URL=sqlite:////srv/techmatch/data/techmatch.db
RUN mkdir -p /srv/techmatch/data && chown techmatch /srv/techmatch/data
USER techmatch
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Apply migrations, then serve; WEB_CONCURRENCY sets the number of worker processes.
CMD ["sh", "-c", "python -m app.cli db upgrade && exec python -m app.cli serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]
