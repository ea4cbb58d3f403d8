"""Operations: AI workloads on the constellation under power, heat, link and fault limits.

A discrete-event simulation of compute nodes (a satellite, or a whole shell aggregated into one
node) running training jobs, inference services and Earth-observation processing:

* :mod:`skydc.operations.nodes` -- :class:`NodeSpec`, :class:`Environment` and the power
  kernels (battery through eclipse, the sustainable throttle);
* :mod:`skydc.operations.workloads` -- :class:`TrainingJob`, :class:`InferenceService`,
  :class:`EarthObservationJob` and their kernels (ring all-reduce, step FLOPs, ideal time);
* :mod:`skydc.operations.scheduler` -- named, pluggable policies (``"greedy"``,
  ``"power-aware"``) and replica placement;
* :mod:`skydc.operations.faults` -- :class:`FaultModel` and seeded fault sampling;
* :mod:`skydc.operations.engine` -- :func:`simulate`, the event loop;
* :mod:`skydc.operations.metrics` -- :class:`SimulationResult`, the ground reference and
  :func:`compare_architectures`.
"""
