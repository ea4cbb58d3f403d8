"""Studies above the pipeline: each runs selections of stages many times (claims today)."""
