"""What the seekers app tells the layers above (connected in hongniang.flows.apps)."""

from hongniang.core.hooks import Hook

#: sent with the seeker after every write by seekers.services that changes what matching reads
seeker_written = Hook("seekers.seeker_written")
