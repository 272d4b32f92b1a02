"""Write a simulation as a recording file with its ground-truth labels sidecar."""

from __future__ import annotations

from pathlib import Path

from imuhold.protocol.imuhold_v1 import MOTION_CHAR_UUID
from imuhold.recording import RecordingHeader, RecordingWriter, labels_path_for, write_labels
from imuhold.sim.simulation import Simulation


def write_simulation(simulation: Simulation, path: Path, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Write ``simulation`` to ``path`` (.imuhold or .imuhold.gz) and its labels beside it; returns both paths."""
    meta = simulation.metadata
    header = RecordingHeader(
        profile=meta["profile"],
        rate_hz=meta["rate_hz"],
        characteristics={"m": MOTION_CHAR_UUID},
        extra={
            "source": "simulator",
            "scenario": simulation.scenario.name,
            "description": simulation.scenario.description,
            "seed": simulation.seed,
            "frame_type": meta["frame_type"],
            "mount_wxyz": meta["mount_wxyz"],
        },
    )
    with RecordingWriter(path, header, overwrite=overwrite) as writer:
        for packet in simulation.packets:
            writer.write(packet)
    return Path(path), write_labels(labels_path_for(path), simulation.labels)
