from reports.celery_app import app


def test_tasks_registered():
    app.loader.import_default_modules()
    assert "reports.tasks.render_report" in app.tasks
