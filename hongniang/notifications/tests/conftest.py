from hongniang.notifications.tests.fixtures import *  # noqa: F401,F403
from hongniang.seekers.tests.helpers import *  # noqa: F401,F403
