"""Settings for a developer's machine."""
from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret")
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///ledger")}
