"""Guards that make CI honest: when CI asks for PostgreSQL, the suite really runs on it."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_check_constraints_hold_on_this_database(enterprise, regions, occupations):
    """The database itself refuses a posting with headcount 0, whatever code path writes it."""
    from django.db import IntegrityError, transaction

    from hongniang.testing.factories import JobPostingFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        JobPostingFactory(enterprise=enterprise, headcount=0)
