"""WSGI config for ledger: the module gunicorn serves."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledger.settings.production")

application = get_wsgi_application()
