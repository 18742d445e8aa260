"""How many CPU threads torch uses for a block of work.

Small networks (a few thousand parameters per layer, batches of 32) gain nothing from
several threads and lose a lot when the cores are shared: the threads wait on each other.
``torch_threads(1)`` runs such work on one thread and restores the previous setting;
``small_model_threads()`` does so on a CPU and nothing on a GPU.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Iterator


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the block with ``count`` torch intra-op threads (on the CPU; GPUs are unaffected)."""
    import torch

    if not isinstance(count, int) or count < 1:
        raise ValueError(f"count={count!r}; expected a positive integer")
    previous = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def small_model_threads() -> AbstractContextManager[None]:
    """Return a context that runs small networks on one thread on a CPU; a no-op on a GPU."""
    from awml.profiles import device_name

    return torch_threads(1) if device_name() == "cpu" else nullcontext()
