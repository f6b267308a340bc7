import os

from django.core.asgi import get_asgi_application

from config.process import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
settle()
