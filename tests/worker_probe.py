"""What a worker can tell a test about itself: how it was started and what it warmed up."""

import os

#: Set by a test in the parent before it starts a worker: a forked worker has it, a spawned one not.
INHERITED = None
_warmed = None


def warm_up(engine):
    global _warmed
    _warmed = engine


def describe(_task):
    return {"pid": os.getpid(), "inherited": INHERITED, "warmed": _warmed}
