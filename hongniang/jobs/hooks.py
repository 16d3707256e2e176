"""What the jobs app tells the layers above (connected in hongniang.flows.apps)."""

from hongniang.core.hooks import Hook

#: sent with the posting after every write by jobs.services (create, edit, every transition)
posting_written = Hook("jobs.posting_written")
