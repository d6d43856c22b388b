# Werkpad: one image for the bot, the web app and the one-off migration step (docker-compose.yml).
#   docker build -t werkpad .
#   docker run --env-file .env werkpad python -m bot run
# Settings: config.yml (the compose file mounts a container version as WERKPAD_CONFIG); secrets
# only from the environment (.env.example lists every variable).

# --- build: the dependencies, compiled where they must be (pycld2 ships no wheel) ---
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# Install the project to get its dependencies, then drop the project itself: the code runs from
# /app, where Settings finds config.yml, flows/ and nlu/ next to the package.
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall -y werkpad

# --- run ---
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    WERKPAD_CONFIG=/app/config.yml
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin werkpad
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml alembic.ini config.yml ./
COPY bot ./bot
COPY flows ./flows
COPY nlu ./nlu
COPY data ./data
# the console's NLU page scores the model on the held-out sentences
COPY tests/nlu_heldout ./tests/nlu_heldout
RUN mkdir -p var && chown werkpad:werkpad var
USER werkpad
# Train the embedded NLU into var/nlu-cache now, so a container starts in seconds; the check
# fails the build when the content in flows/ is broken.
RUN python -m bot nlu train && python -m bot content check
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["python", "-m", "bot", "run"]
