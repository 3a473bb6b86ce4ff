"""The Fargate task size table: which memory sizes each CPU size allows."""

from __future__ import annotations


def _steps(low: int, high: int, step: int) -> tuple[int, ...]:
    return tuple(range(low, high + 1, step))


FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _steps(1024, 4096, 1024),
    1024: _steps(2048, 8192, 1024),
    2048: _steps(4096, 16384, 1024),
    4096: _steps(8192, 30720, 1024),
    8192: _steps(16384, 61440, 4096),
    16384: _steps(32768, 122880, 8192),
}


def cpu_problem(cpu: int) -> str | None:
    """Why cpu is not a Fargate CPU size, or None."""
    if cpu in FARGATE_MEMORY_BY_CPU:
        return None
    sizes = ", ".join(str(size) for size in FARGATE_MEMORY_BY_CPU)
    return f"{cpu} is not a Fargate size ({sizes})"


def memory_problem(cpu: int, memory: int) -> str | None:
    """Why memory does not fit cpu on Fargate, or None."""
    allowed = FARGATE_MEMORY_BY_CPU.get(cpu)
    if allowed is None or memory in allowed:
        return None
    if len(allowed) <= 4:
        listing = ", ".join(str(size) for size in allowed)
        return f"{memory} MiB does not fit cpu {cpu}: allowed {listing} MiB"
    low, high, step = allowed[0], allowed[-1], allowed[1] - allowed[0]
    return f"{memory} MiB does not fit cpu {cpu}: allowed {low}..{high} MiB in steps of {step}"
