import os

from celery import Celery

app = Celery(
    "reports",
    broker=os.environ.get("CELERY_BROKER_URL", "redis://localhost:6379/0"),
    backend=os.environ.get("CELERY_RESULT_BACKEND", "redis://localhost:6379/1"),
    include=["reports.tasks"],
)
app.conf.update(
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    timezone="UTC",
    beat_schedule={
        "weekly-digest": {"task": "reports.tasks.send_weekly_digest", "schedule": 7 * 24 * 3600},
    },
)
