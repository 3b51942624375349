import os

import httpx
from jinja2 import Environment, PackageLoader, select_autoescape

from .celery_app import app

templates = Environment(loader=PackageLoader("reports"), autoescape=select_autoescape())
API = os.environ.get("METRICS_API", "http://metrics.internal/api")


@app.task(bind=True, max_retries=3, default_retry_delay=60)
def render_report(self, team: str) -> str:
    try:
        resp = httpx.get(f"{API}/teams/{team}/weekly", timeout=10)
        resp.raise_for_status()
    except httpx.HTTPError as exc:
        raise self.retry(exc=exc)
    return templates.get_template("weekly.html").render(team=team, metrics=resp.json())


@app.task
def send_weekly_digest() -> int:
    teams = httpx.get(f"{API}/teams", timeout=10).json()
    for team in teams:
        render_report.delay(team["slug"])
    return len(teams)
