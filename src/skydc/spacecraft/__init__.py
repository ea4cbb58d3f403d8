"""Spacecraft subsystems sized from physics: power, thermal, payload, radiation, mass budget."""
