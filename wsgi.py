"""WSGI entry point for any server: `gunicorn wsgi:app`."""
from kb import create_app

app = create_app()
