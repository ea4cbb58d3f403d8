"""Economics: space and ground total cost of ownership, the Starcloud white paper's table,
break-even launch price, tornado and Monte Carlo sensitivity.

Modules: :mod:`~skydc.economics.finance` (discounting, WACC, levelized cost, currency year),
:mod:`~skydc.economics.space`, :mod:`~skydc.economics.ground`,
:mod:`~skydc.economics.starcloud`, :mod:`~skydc.economics.sensitivity`. Cost factors live in
``skydc/data/costs.toml``, ``ground_dc.toml`` and ``electricity_prices.toml``, each with a
source and a year; results are in USD of ``costs.toml``'s ``currency_year``.
"""
