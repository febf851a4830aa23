# Production-like image for docker compose (web, worker, beat share it).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=northstar.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 northstar
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN mkdir -p /app/media /app/staticfiles && chown -R northstar /app/media /app/staticfiles
USER northstar
EXPOSE 8000
CMD ["gunicorn", "northstar.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
