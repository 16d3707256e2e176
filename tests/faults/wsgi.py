"""gunicorn entry point of the fault tests: `tests.faults.wsgi:application`."""

from tests.faults.pausing import wsgi_application

application = wsgi_application()
