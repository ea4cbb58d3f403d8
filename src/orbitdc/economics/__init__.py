"""Economics: space and ground total cost of ownership, the Starcloud white paper's table,
break-even launch price, tornado and Monte Carlo sensitivity.

Modules: :mod:`~orbitdc.economics.finance` (discounting, WACC, levelized cost, currency year),
:mod:`~orbitdc.economics.space`, :mod:`~orbitdc.economics.ground`,
:mod:`~orbitdc.economics.starcloud`, :mod:`~orbitdc.economics.sensitivity`. Cost factors live in
``orbitdc/data/costs.toml``, ``ground_dc.toml`` and ``electricity_prices.toml``, each with a
source and a year; results are in USD of ``costs.toml``'s ``currency_year``.
"""
