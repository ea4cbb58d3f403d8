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
    "decode_step_time_s",
    "fluid_fifo_delay_s",
    "inference_service_time_s",
    "prefill_time_s",
    "ring_allreduce_time_s",
    "training_time_s",
]

# Fraction of the HBM peak bandwidth that streaming weight reads reach: Microsoft measured
# 7.35 TB/s of GB200's 8 TB/s (92 %) (Azure HPC blog, "Azure's ND GB200 v6 delivers record
# performance for inference workloads", 2025); decode kernels reach less than a stream
# benchmark, so skydc takes 0.8 (an estimate; tests/operations/test_ops_inference_roofline.py
# checks the resulting token latency against NVIDIA NIM measurements).
HBM_BANDWIDTH_EFFICIENCY = 0.8

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

    Latency = uplink + routing + queue + service + downlink: the round trip of
    ``Environment.ground_rtt_s`` plus the wait in the replica's queue plus the service time of
    :func:`inference_service_time_s` (divided by the node's throttle): a compute-bound prefill
    of the prompt, then ``tokens_out`` decode steps, each bound by the larger of its FLOPs and
    the bytes it reads from HBM (the weights once per step for the whole batch, plus each
    sequence's key-value cache). A replica decodes up to ``max_batch`` requests together:
    it is ``max_batch`` servers of that service time (continuous batching).

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
        Bytes per weight (fp16/bf16: 2, fp8: 1).
    kv_cache_bytes
        Memory per replica reserved beyond the weights and the batch's KV cache (activations,
        workspace) [B].
    compute_efficiency
        Fraction of peak FLOP/s reached by prefill and compute-bound decode (model FLOPs
        utilisation) [-]; default 0.40, the training MFU of Llama 3 (arXiv:2407.21783,
        Table 4); NVIDIA NIM's Llama-3.3-70B prefill (TTFT) implies 0.44 on 2 x H100 fp8.
    candidates
        Routing looks at the ``candidates`` lowest-RTT nodes of the request's region.
    restart_s
        Time a replica needs after a crash or a node restart [s].
    max_batch
        Requests a replica decodes together (continuous batching) [-]; default 1. Serving
        engines run 64-256 (vLLM's ``max_num_seqs`` defaults to 256).
    kv_bytes_per_token
        Key-value cache per token of context [B]: ``2 x layers x kv_heads x head_dim x
        bytes``; Llama-2/3-70B (80 layers, 8 KV heads of 128) in bf16: 327,680 B; default 0
        (weights only).
    memory_bandwidth_efficiency
        Fraction of the HBM peak bandwidth reached by decode reads [-]; default 0.8.
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
    max_batch: int = 1
    kv_bytes_per_token: float = 0.0
    memory_bandwidth_efficiency: float = HBM_BANDWIDTH_EFFICIENCY

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
        for key in ("tensor_parallel", "candidates", "max_batch"):
            count(f"{n}: {key}", getattr(self, key))
        if self.replicas is not None:
            count(f"{n}: replicas", self.replicas)
        if self.flops_per_token is not None:
            positive(f"{n}: flops_per_token", self.flops_per_token)
        for key in ("kv_cache_bytes", "restart_s", "kv_bytes_per_token"):
            non_negative(f"{n}: {key}", getattr(self, key))
        in_range(f"{n}: compute_efficiency", self.compute_efficiency, 0.0, 1.0, lo_open=True)
        in_range(
            f"{n}: memory_bandwidth_efficiency",
            self.memory_bandwidth_efficiency,
            0.0,
            1.0,
            lo_open=True,
        )

    @property
    def rates(self) -> tuple[float, ...]:
        """Request rate per region [req/s]."""
        return self.arrival_rate_per_s  # type: ignore[return-value]

    @property
    def tokens_per_request(self) -> int:
        """Tokens processed per request, in and out [-]."""
        return int(self.tokens_in + self.tokens_out)

    @property
    def model_flops_per_token(self) -> float:
        """FLOPs per token of a forward pass [FLOP]."""
        per_token = self.flops_per_token
        if per_token is None:
            per_token = INFERENCE_FLOPS_PER_PARAM_TOKEN * self.parameters
        return float(per_token)

    @property
    def request_flops(self) -> int:
        """FLOPs per request [FLOP]."""
        return round(self.model_flops_per_token * self.tokens_per_request)

    @property
    def weight_bytes(self) -> float:
        """Weights of one replica [B]."""
        return self.parameters * self.weight_bytes_per_param

    @property
    def replica_memory_bytes(self) -> float:
        """Memory one replica needs: weights, the full batch's KV cache, the reserve [B]."""
        kv = self.max_batch * self.kv_bytes_per_token * self.tokens_per_request
        return self.weight_bytes + kv + self.kv_cache_bytes

    def service_time_s(
        self, replica_peak_flops: float, replica_memory_bandwidth_bytes_s: float = math.inf
    ) -> float:
        """Service time of one request on one replica at full throttle [s].

        See :func:`inference_service_time_s`; ``replica_*`` are the replica's accelerators
        together (``tensor_parallel`` of them). An infinite bandwidth (a node without the
        figure) makes decode compute-bound: ``request_flops / (peak x efficiency)`` at
        ``max_batch = 1``.
        """
        return float(
            inference_service_time_s(
                self.model_flops_per_token,
                self.weight_bytes,
                self.kv_bytes_per_token,
                self.tokens_in,
                self.tokens_out,
                self.max_batch,
                replica_peak_flops * self.compute_efficiency,
                replica_memory_bandwidth_bytes_s * self.memory_bandwidth_efficiency,
            )
        )


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


def prefill_time_s(
    flops_per_token: ArrayLike,
    weight_bytes: ArrayLike,
    tokens_in: ArrayLike,
    flops_per_s: ArrayLike,
    bytes_per_s: ArrayLike,
) -> NDArray[np.float64]:
    """Time to process a prompt, the time to first token without queueing [s].

    Roofline (Williams, Waterman & Patterson 2009, CACM 52(4) 65-76): the prompt's FLOPs
    ``2 N x tokens_in`` at the sustained rate, or one read of the weights, whichever is longer;
    long prompts are compute-bound (``2 N x 5000 / (2 x 1979e12 x 0.4) = 0.45 s`` for a 70B
    model on 2 x H100 fp8; NVIDIA NIM measures 0.41 s).

    Parameters
    ----------
    flops_per_token
        Forward-pass FLOPs per token, ``2 N`` [FLOP].
    weight_bytes
        Bytes of the weights [B].
    tokens_in
        Prompt tokens [-].
    flops_per_s, bytes_per_s
        Sustained compute rate (peak x MFU) [FLOP/s] and HBM read rate (peak x efficiency)
        [B/s] of the replica.
    """
    f = np.asarray(flops_per_token, np.float64)
    w = np.asarray(weight_bytes, np.float64)
    n = np.asarray(tokens_in, np.float64)
    with np.errstate(divide="ignore"):
        compute = f * n / np.asarray(flops_per_s, np.float64)
        memory = np.where(n > 0, w / np.asarray(bytes_per_s, np.float64), 0.0)
    out: NDArray[np.float64] = np.maximum(compute, memory)
    return out


def decode_step_time_s(
    flops_per_token: ArrayLike,
    weight_bytes: ArrayLike,
    kv_bytes_per_token: ArrayLike,
    context_tokens: ArrayLike,
    batch: ArrayLike,
    flops_per_s: ArrayLike,
    bytes_per_s: ArrayLike,
) -> NDArray[np.float64]:
    """Time of one decode step of ``batch`` sequences, one token each [s].

    Roofline: the step computes ``2 N x batch`` FLOPs and reads the weights once for the whole
    batch plus every sequence's KV cache (``batch x context x kv_bytes_per_token``); the longer
    of the two is the step time. At small batch the weights dominate: a 70B model in fp8 on
    2 x H100 (2 x 3.35 TB/s x 0.8) takes 13 ms a token (NIM measures 18.6 ms, the rest being
    tensor-parallel communication and kernel launches that this bound leaves out).
    """
    f = np.asarray(flops_per_token, np.float64)
    b = np.asarray(batch, np.float64)
    read = np.asarray(weight_bytes, np.float64) + b * np.asarray(
        kv_bytes_per_token, np.float64
    ) * np.asarray(context_tokens, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        compute = f * b / np.asarray(flops_per_s, np.float64)
        memory = np.where(read > 0, read / np.asarray(bytes_per_s, np.float64), 0.0)
    out: NDArray[np.float64] = np.maximum(compute, memory)
    return out


def inference_service_time_s(
    flops_per_token: ArrayLike,
    weight_bytes: ArrayLike,
    kv_bytes_per_token: ArrayLike,
    tokens_in: ArrayLike,
    tokens_out: ArrayLike,
    batch: ArrayLike,
    flops_per_s: ArrayLike,
    bytes_per_s: ArrayLike,
) -> NDArray[np.float64]:
    """Time one request holds one of a replica's ``batch`` slots [s].

    ``D = max(prefill + tokens_out x step(batch), batch x 2 N (in + out) / F)``: its prefill
    (:func:`prefill_time_s`) then ``tokens_out`` decode steps with the batch full
    (:func:`decode_step_time_s`, context at mid-generation), and never less than the share of
    the replica's compute that ``batch`` requests running together leave it (with every slot
    busy, the other requests' prefills stall this one's decode). A replica is then ``batch``
    servers of time ``D``; its throughput ``batch / D`` never exceeds the compute roofline
    ``F / (2 N (in + out))``. With ``batch = 1`` and an infinite bandwidth, ``D`` is the
    FLOPs of the request over ``F``.

    Parameters
    ----------
    flops_per_token
        ``2 N`` [FLOP].
    weight_bytes, kv_bytes_per_token
        Weights [B] and KV cache per context token [B].
    tokens_in, tokens_out
        Prompt and generated tokens [-].
    batch
        Requests decoded together [-], >= 1.
    flops_per_s, bytes_per_s
        Sustained compute [FLOP/s] and HBM read rate [B/s] of the replica.
    """
    n_in = np.asarray(tokens_in, np.float64)
    n_out = np.asarray(tokens_out, np.float64)
    b = np.asarray(batch, np.float64)
    if np.any(b < 1) or np.any(n_in < 0) or np.any(n_out < 0):
        raise ValueError("inference_service_time_s: need batch >= 1 and token counts >= 0")
    first = prefill_time_s(flops_per_token, weight_bytes, n_in, flops_per_s, bytes_per_s)
    step = decode_step_time_s(
        flops_per_token, weight_bytes, kv_bytes_per_token, n_in + 0.5 * n_out, b,
        flops_per_s, bytes_per_s,
    )  # fmt: skip
    shared = (
        b
        * np.asarray(flops_per_token, np.float64)
        * (n_in + n_out)
        / np.asarray(flops_per_s, np.float64)
    )
    out: NDArray[np.float64] = np.maximum(first + n_out * step, shared)
    return out


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
