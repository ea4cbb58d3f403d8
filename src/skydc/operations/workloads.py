"""Workloads: training jobs, inference services, Earth-observation processing, and their kernels.

Work is counted in FLOPs, as Python integers, so the simulator's ledger (work done + work lost
= work issued) holds exactly. Model FLOPs follow Kaplan et al. 2020 (arXiv:2001.08361,
sec. 2.1): ``6 N`` per token for training, ``2 N`` per token for a forward pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from skydc._args import count, in_range, non_negative, positive
from skydc.constants import (
    HALF_PRECISION_BYTES_PER_PARAM,
    INFERENCE_FLOPS_PER_PARAM_TOKEN,
    LLM_TRAINING_MFU,
    MIXED_PRECISION_ADAM_BYTES_PER_PARAM,
    SECONDS_PER_DAY,
    TRAINING_FLOPS_PER_PARAM_TOKEN,
)

__all__ = [
    "EarthObservationJob",
    "InferenceService",
    "TrainingJob",
    "Workload",
    "fluid_fifo_delay_s",
    "ring_allreduce_time_s",
    "training_time_s",
]

_CHECKPOINT_SLACK = 1e-9  # relative tolerance of "an interval has elapsed" (float sums of steps)


@dataclass(frozen=True)
class TrainingJob:
    """A synchronous data-parallel training run (pipeline and tensor parallel inside replicas).

    Parameters
    ----------
    name
        Label.
    parameters
        Model parameters ``N`` [-].
    tokens
        Training tokens [-].
    global_batch_tokens
        Tokens per optimizer step, all replicas together [-].
    data_parallel, pipeline_parallel, tensor_parallel
        Parallel degrees; a replica is ``pp x tp`` accelerators inside one node, the
        ``dp`` replicas exchange gradients by ring all-reduce.
    flops_per_token
        Training FLOPs per token; default ``6 N`` (Kaplan et al. 2020).
    gradient_bytes_per_param
        Bytes per gradient element in the all-reduce (fp16/bf16: 2; ZeRO, sec. 3.1).
    state_bytes_per_param
        Training state per parameter (mixed-precision Adam: 16 B; ZeRO, sec. 3.1).
    compute_efficiency
        Model FLOPs utilization [-]; default 0.40 (Llama 3, arXiv:2407.21783, Table 4).
    checkpoint_interval_s
        Wall time between checkpoints; taken at the first step boundary after it [s].
    checkpoint_write_s
        Time to write one checkpoint, compute paused [s].
    restart_s
        Time to restart from the last checkpoint after a crash [s].
    start_s
        Submission time, seconds after the run's start [s].
    """

    name: str
    parameters: float
    tokens: float
    global_batch_tokens: float
    data_parallel: int = 1
    pipeline_parallel: int = 1
    tensor_parallel: int = 1
    flops_per_token: float | None = None
    gradient_bytes_per_param: float = HALF_PRECISION_BYTES_PER_PARAM
    state_bytes_per_param: float = MIXED_PRECISION_ADAM_BYTES_PER_PARAM
    compute_efficiency: float = LLM_TRAINING_MFU
    checkpoint_interval_s: float = 3600.0
    checkpoint_write_s: float = 0.0
    restart_s: float = 0.0
    start_s: float = 0.0

    def __post_init__(self) -> None:
        n = f"TrainingJob {self.name!r}"
        for key in ("parameters", "tokens", "global_batch_tokens", "checkpoint_interval_s",
                    "gradient_bytes_per_param", "state_bytes_per_param"):  # fmt: skip
            positive(f"{n}: {key}", getattr(self, key))
        for key in ("data_parallel", "pipeline_parallel", "tensor_parallel"):
            count(f"{n}: {key}", getattr(self, key))
        for key in ("checkpoint_write_s", "restart_s", "start_s"):
            non_negative(f"{n}: {key}", getattr(self, key))
        if self.flops_per_token is not None:
            positive(f"{n}: flops_per_token", self.flops_per_token)
        in_range(f"{n}: compute_efficiency", self.compute_efficiency, 0.0, 1.0, lo_open=True)

    @property
    def model_flops_per_token(self) -> float:
        """FLOPs per training token [FLOP]."""
        if self.flops_per_token is not None:
            return float(self.flops_per_token)
        return TRAINING_FLOPS_PER_PARAM_TOKEN * self.parameters

    @property
    def replica_accelerators(self) -> int:
        """Accelerators per replica, ``pp x tp``."""
        return int(self.pipeline_parallel * self.tensor_parallel)

    @property
    def n_steps(self) -> int:
        """Optimizer steps, the last one partial when the batch does not divide the tokens."""
        return max(1, math.ceil(self.tokens / self.global_batch_tokens - 1e-12))

    def step_flops(self, step: int) -> int:
        """FLOPs of step ``step`` (0-based), all replicas [FLOP]."""
        done = min(self.tokens, step * self.global_batch_tokens)
        size = min(self.global_batch_tokens, self.tokens - done)
        return round(self.model_flops_per_token * size)

    @property
    def total_flops(self) -> int:
        """FLOPs of the whole run, the sum of its steps [FLOP]."""
        full = self.n_steps - 1
        return full * self.step_flops(0) + self.step_flops(full)

    @property
    def allreduce_bytes(self) -> float:
        """Gradient message each step: ``N x gradient bytes`` [B]."""
        return self.parameters * self.gradient_bytes_per_param

    @property
    def state_bytes(self) -> float:
        """Training state of one replica [B]."""
        return self.parameters * self.state_bytes_per_param

    def checkpoint_due(self, elapsed_s: float) -> bool:
        """Whether ``elapsed_s`` since the last checkpoint reaches the interval."""
        return elapsed_s >= self.checkpoint_interval_s * (1.0 - _CHECKPOINT_SLACK)


@dataclass(frozen=True)
class InferenceService:
    """Requests from ground users, served by model replicas on the nodes.

    Latency = uplink + routing + queue + compute + downlink: the round trip of
    ``Environment.ground_rtt_s`` plus the wait in the replica's FIFO queue plus the service
    time ``flops / (replica peak x compute_efficiency x throttle)``.

    Parameters
    ----------
    name
        Label.
    parameters
        Model parameters ``N`` [-].
    arrival_rate_per_s
        Poisson request rate per user region [req/s]: a number or one per region.
    tokens_in, tokens_out
        Prompt and generated tokens per request [-].
    tensor_parallel
        Accelerators per replica.
    replicas
        Replicas to place; ``None``: every accelerator left after training.
    flops_per_token
        FLOPs per token; default ``2 N`` (Kaplan et al. 2020).
    weight_bytes_per_param
        Bytes per weight (fp16/bf16: 2).
    kv_cache_bytes
        Key-value cache and activations per replica [B].
    compute_efficiency
        Fraction of peak reached [-]; default 0.40, assumed equal to training MFU (decode is
        memory-bound and depends on batching: set it from measurements).
    candidates
        Routing looks at the ``candidates`` lowest-RTT nodes of the request's region.
    restart_s
        Time a replica needs after a crash or a node restart [s].
    """

    name: str
    parameters: float
    arrival_rate_per_s: tuple[float, ...] | float
    tokens_in: int
    tokens_out: int
    tensor_parallel: int = 1
    replicas: int | None = None
    flops_per_token: float | None = None
    weight_bytes_per_param: float = HALF_PRECISION_BYTES_PER_PARAM
    kv_cache_bytes: float = 0.0
    compute_efficiency: float = LLM_TRAINING_MFU
    candidates: int = 4
    restart_s: float = 0.0

    def __post_init__(self) -> None:
        n = f"InferenceService {self.name!r}"
        rates = tuple(float(r) for r in np.atleast_1d(np.asarray(self.arrival_rate_per_s)))
        if not rates:
            raise ValueError(f"{n}: arrival_rate_per_s needs at least one region")
        non_negative(f"{n}: arrival_rate_per_s", rates)
        object.__setattr__(self, "arrival_rate_per_s", rates)
        for key in ("parameters", "weight_bytes_per_param"):
            positive(f"{n}: {key}", getattr(self, key))
        for key in ("tokens_in", "tokens_out"):
            non_negative(f"{n}: {key}", getattr(self, key))
        if not self.tokens_in + self.tokens_out > 0:
            raise ValueError(f"{n}: tokens_in + tokens_out must be > 0")
        for key in ("tensor_parallel", "candidates"):
            count(f"{n}: {key}", getattr(self, key))
        if self.replicas is not None:
            count(f"{n}: replicas", self.replicas)
        if self.flops_per_token is not None:
            positive(f"{n}: flops_per_token", self.flops_per_token)
        for key in ("kv_cache_bytes", "restart_s"):
            non_negative(f"{n}: {key}", getattr(self, key))
        in_range(f"{n}: compute_efficiency", self.compute_efficiency, 0.0, 1.0, lo_open=True)

    @property
    def rates(self) -> tuple[float, ...]:
        """Request rate per region [req/s]."""
        return self.arrival_rate_per_s  # type: ignore[return-value]

    @property
    def tokens_per_request(self) -> int:
        """Tokens processed per request, in and out [-]."""
        return int(self.tokens_in + self.tokens_out)

    @property
    def request_flops(self) -> int:
        """FLOPs per request [FLOP]."""
        per_token = self.flops_per_token
        if per_token is None:
            per_token = INFERENCE_FLOPS_PER_PARAM_TOKEN * self.parameters
        return round(per_token * self.tokens_per_request)

    @property
    def replica_memory_bytes(self) -> float:
        """Memory one replica needs: weights plus KV cache [B]."""
        return self.parameters * self.weight_bytes_per_param + self.kv_cache_bytes


@dataclass(frozen=True)
class EarthObservationJob:
    """Imagery produced on board every satellite, processed in orbit instead of downlinked raw.

    Parameters
    ----------
    name
        Label.
    bytes_per_satellite_day
        Raw data each satellite produces per day [B].
    flops_per_byte
        Processing cost [FLOP/B].
    downlink_bytes_per_satellite_day
        What each satellite can send to the ground per day [B].
    product_fraction
        Size of the processed product over the raw data [-], in (0, 1].
    accelerators_per_satellite
        Accelerators of each satellite reserved for processing.
    compute_efficiency
        Fraction of peak reached [-]; default 0.40 (assumed, as for inference).
    """

    name: str
    bytes_per_satellite_day: float
    flops_per_byte: float
    downlink_bytes_per_satellite_day: float
    product_fraction: float
    accelerators_per_satellite: int = 1
    compute_efficiency: float = LLM_TRAINING_MFU

    def __post_init__(self) -> None:
        n = f"EarthObservationJob {self.name!r}"
        non_negative(f"{n}: bytes_per_satellite_day", self.bytes_per_satellite_day)
        positive(f"{n}: flops_per_byte", self.flops_per_byte)
        non_negative(
            f"{n}: downlink_bytes_per_satellite_day", self.downlink_bytes_per_satellite_day
        )
        in_range(f"{n}: product_fraction", self.product_fraction, 0.0, 1.0, lo_open=True)
        count(f"{n}: accelerators_per_satellite", self.accelerators_per_satellite)
        in_range(f"{n}: compute_efficiency", self.compute_efficiency, 0.0, 1.0, lo_open=True)

    @property
    def production_bytes_per_s(self) -> float:
        """Raw data rate of one satellite [B/s]."""
        return self.bytes_per_satellite_day / SECONDS_PER_DAY

    @property
    def downlink_bytes_per_s(self) -> float:
        """Day-average downlink rate of one satellite [B/s]."""
        return self.downlink_bytes_per_satellite_day / SECONDS_PER_DAY


Workload = TrainingJob | InferenceService | EarthObservationJob


def ring_allreduce_time_s(
    message_bytes: ArrayLike, n: ArrayLike, bandwidth_bps: ArrayLike
) -> NDArray[np.float64]:
    """Time of a bandwidth-optimal ring all-reduce [s].

    ``t = 2 (n - 1) / n x S x 8 / B``: reduce-scatter then all-gather, each of the ``n``
    members sending ``(n - 1) / n x S`` twice over its slowest ring link ``B`` (Patarasuk &
    Yuan 2009, "Bandwidth optimal all-reduce algorithms for clusters of workstations", J.
    Parallel Distrib. Comput. 69(2), 117-124, sec. 3). Latency terms are neglected.

    Parameters
    ----------
    message_bytes
        Size of the vector reduced [B].
    n
        Ring members (``n = 1``: no exchange, 0 s).
    bandwidth_bps
        Bandwidth of the slowest link of the ring [bit/s] (``inf``: 0 s).
    """
    size = np.asarray(message_bytes, np.float64)
    members = np.asarray(n, np.float64)
    bandwidth = np.asarray(bandwidth_bps, np.float64)
    if np.any(members < 1) or np.any(size < 0) or np.any(bandwidth <= 0):
        raise ValueError("ring_allreduce_time_s: need n >= 1, message_bytes >= 0, bandwidth > 0")
    volume_bits = 2.0 * (members - 1.0) / members * size * 8.0
    with np.errstate(invalid="ignore"):
        return np.where(volume_bits == 0, 0.0, volume_bits / bandwidth)


def training_time_s(
    job: TrainingJob, replica_peak_flops: float, ring_bandwidth_bps: float
) -> float:
    """Completion time of ``job`` with no eclipse, no fault and constant links [s].

    Each step is compute, ``step FLOPs / (dp x replica peak x efficiency)``, then the ring
    all-reduce (no overlap); a checkpoint (``checkpoint_write_s``) is written at the first
    step boundary after each ``checkpoint_interval_s`` of run time and after the last step.
    This is what :func:`skydc.operations.engine.simulate` gives in that case.
    """
    positive("training_time_s: replica_peak_flops", replica_peak_flops)
    rate = job.data_parallel * replica_peak_flops * job.compute_efficiency
    comm = float(ring_allreduce_time_s(job.allreduce_bytes, job.data_parallel, ring_bandwidth_bps))
    n = job.n_steps
    full = job.step_flops(0) / rate + comm
    last = job.step_flops(n - 1) / rate + comm
    per_checkpoint = max(1, math.ceil(job.checkpoint_interval_s * (1.0 - _CHECKPOINT_SLACK) / full))
    checkpoints = (n - 1) // per_checkpoint + 1
    return (n - 1) * full + last + checkpoints * job.checkpoint_write_s


def fluid_fifo_delay_s(
    inflow_bytes_per_s: ArrayLike, capacity_bytes_per_s: ArrayLike, horizon_s: float
) -> NDArray[np.float64]:
    """Mean delay of the bytes a constant-rate FIFO delivers within ``horizon_s`` [s].

    Fluid queue, constant inflow ``r`` and service ``D``: with ``r <= D`` nothing waits; with
    ``r > D`` a byte made at ``tau`` leaves at ``tau r / D``, so the bytes delivered by ``T``
    are those made before ``T D / r`` and their mean delay is ``T (1 - D / r) / 2``.
    """
    r = np.asarray(inflow_bytes_per_s, np.float64)
    d = np.asarray(capacity_bytes_per_s, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        delay = 0.5 * float(horizon_s) * (1.0 - d / r)
    return np.where(r > d, delay, 0.0)
