from hongniang.seekers.tests.helpers import *  # noqa: F401,F403
