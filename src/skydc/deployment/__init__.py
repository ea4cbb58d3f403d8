"""Deployment: launch vehicles, launches needed by mass and by volume, cadence and deploy time.

:mod:`skydc.deployment.launch` holds the launch-vehicle catalog (``data/launch_vehicles.toml``,
every entry sourced) and the payload a vehicle puts into a circular target orbit;
:mod:`skydc.deployment.manifest` turns a system's mass and stowed volume into launches (the
larger of the counts by mass and by volume governs), cost, time to deploy at a cadence, and IT
power deployed per launch and per year.
"""
