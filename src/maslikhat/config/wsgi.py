import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maslikhat.config.settings")
application = get_wsgi_application()

# Production refuses to serve a database with demo data or demo accounts.
from maslikhat.core.startup import guard  # noqa: E402

guard()
