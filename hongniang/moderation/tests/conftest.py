from hongniang.jobs.tests.conftest import (  # noqa: F401 - shared fixtures
    _apply_box_stub,
    make_posting,
    unverified_enterprise,
    unverified_hr,
    valid_posting_data,
)
