# Frontdesk's image: the package and its models (they ship inside pip packages, so nothing
# is downloaded at run time), run as an unprivileged user. See compose.yaml and the README's
# "Production" section.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    FRONTDESK_DATA_DIR=/var/lib/frontdesk \
    FRONTDESK_HOST=0.0.0.0 \
    FRONTDESK_PORT=8000

# pg_dump / pg_restore for `frontdesk backup` and `restore` (bookworm's 15, as compose's server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/frontdesk
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf /root/.cache

RUN useradd --system --uid 10001 --home-dir /var/lib/frontdesk --create-home frontdesk
USER frontdesk
WORKDIR /var/lib/frontdesk
VOLUME ["/var/lib/frontdesk"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["frontdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
