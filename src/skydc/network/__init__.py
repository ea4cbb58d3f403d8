"""Networks: laser inter-satellite links, ground stations, routing and formation-flying clusters.

Kernels on arrays, Earth-fixed positions component-first ``(3, n)`` [m]:

* :mod:`skydc.network.isl`: inter-satellite link topologies chosen by name (``"plus-grid"``,
  ``"nearest-in-range"``), limited by range and by Earth occlusion; link capacity; link churn.
* :mod:`skydc.network.ground`: ground stations and users from CSV files (bundled: Hypatia's
  100 most populous cities, real ground-station sites), elevation, visibility, satellite choice
  and handovers.
* :mod:`skydc.network.routing`: the graph of one time step (``scipy.sparse``), shortest paths
  from every ground station (ground stations only as end points), forwarding state.
* :mod:`skydc.network.metrics`: path lengths, RTT, stretch against great-circle fibre, hop
  counts, max-flow capacity between regions, bisection bandwidth, link load.
* :mod:`skydc.network.terminals` and :mod:`skydc.network.link_budget`: the laser-terminal
  catalog and the optical link budget.
"""
