"""The Celery application. Tasks are enqueued only after the transaction that asked for them
commits (see notifications.services); settings live in ladokportal.settings under CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")

app = Celery("ladokportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
