"""Make an API token for a user and print it once (only its hash is stored):

    manage.py api_token <username> [--name 对接系统] [--days 90]
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongniang.core.models import ApiToken, User, token_days


class Command(BaseCommand):
    help = "Make an API token for a user; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="")
        parser.add_argument("--days", type=int, default=None, help="days until it expires (API_TOKEN_DAYS)")

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        days = days or token_days()
        if not 1 <= days <= 366:
            raise CommandError("--days must be between 1 and 366")
        token = ApiToken.objects.create(user=user, name=name[:100],
                                        expires_at=timezone.now() + dt.timedelta(days=days))
        self.stdout.write(token.key)
        self.stderr.write(f"expires {token.expires_at:%Y-%m-%d}; shown once, only its hash is kept")
