"""The pipeline: one module per stage, a registry of them, and the runner that resolves them.

Each stage module (``constellation``, ``seasons``, ``sunlight``, ``sizing``, ``cost``, ``power``,
``network``, ``operations``, ``exports``) declares a :class:`~skydc.pipeline.base.Stage`: its
name, the stages it requires, the scenario fields it reads, and a ``run`` function returning a
frozen output with ``metrics()`` and ``tables()``. Stages import kernels and the shared helpers in
``shells.py`` and ``base.py``, never the runner or a later stage. See docs/architecture.md.

This ``__init__`` imports nothing, so a stage importing ``skydc.pipeline.base`` pulls in no other
stage.
"""
