"""Processes of a run: one by default, or DDP when started by ``torchrun`` (gloo on CPU, nccl on GPU)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist

__all__ = ["Processes", "launched_by_torchrun", "start_processes", "stop_processes"]


@dataclass(frozen=True)
class Processes:
    """This process's place in the run: rank, how many there are, and its device."""

    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        """Only the main process writes files and prints."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()

    def sum(self, values: list[float]) -> list[float]:
        """The element-wise sum of ``values`` over all processes."""
        if not self.distributed:
            return values
        tensor = torch.tensor(values, dtype=torch.float64, device=self._comm_device)
        dist.all_reduce(tensor)
        return tensor.tolist()

    def any(self, flag: bool) -> bool:
        """True when ``flag`` is true in any process (so that all stop together)."""
        if not self.distributed:
            return flag
        tensor = torch.tensor([1 if flag else 0], device=self._comm_device)
        dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
        return bool(tensor.item())

    @property
    def _comm_device(self) -> torch.device:
        return self.device if dist.get_backend() == "nccl" else torch.device("cpu")


def launched_by_torchrun() -> bool:
    return "RANK" in os.environ and "WORLD_SIZE" in os.environ and "LOCAL_RANK" in os.environ


def start_processes(device: str | None) -> Processes:
    """Join the process group when started by torchrun; pick the device (``device`` or cuda when available)."""
    if not launched_by_torchrun() or int(os.environ["WORLD_SIZE"]) == 1:
        return Processes(0, 1, 0, _device(device, local_rank=0))
    rank, world_size, local_rank = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ["LOCAL_RANK"])
    chosen = _device(device, local_rank=local_rank)
    if not dist.is_initialized():
        backend = "nccl" if chosen.type == "cuda" else "gloo"
        if chosen.type == "cuda":
            torch.cuda.set_device(chosen)
        dist.init_process_group(backend=backend, device_id=chosen if chosen.type == "cuda" else None)
    return Processes(rank, world_size, local_rank, chosen)


def stop_processes() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def _device(name: str | None, *, local_rank: int) -> torch.device:
    if name is None:
        return torch.device("cuda", local_rank) if torch.cuda.is_available() else torch.device("cpu")
    device = torch.device(name)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError("--device cuda: no GPU is available; use --device cpu")
        if device.index is None:
            device = torch.device("cuda", local_rank)
    return device
