"""ASGI config for ledger."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledger.settings.production")

application = get_asgi_application()
