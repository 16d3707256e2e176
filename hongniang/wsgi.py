"""The web server entry point (gunicorn hongniang.wsgi). Served this way the settings are production unless
HONGNIANG_ENV says otherwise (`make demo` sets demo): production refuses to start without SECRET_KEY and a
separate FIELD_KEY, so a server never runs on a key someone else knows."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hongniang.settings")
os.environ.setdefault("HONGNIANG_ENV", "production")
application = get_wsgi_application()
