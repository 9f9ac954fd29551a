"""Building a package: plan the tracks (``plan.py``), render what the cache lacks in worker
processes (``render.py``, ``workers.py``, ``audio.py``, ``cache.py``, keyed by ``keys.py``), then
assemble the package (``assemble.py``); ``run.py`` drives a build, ``phrase.py`` says one phrase.

The types the outputs are written from are in ``types.py``, which imports nothing of the builder.
"""
