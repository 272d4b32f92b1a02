"""The motion an emulated sensor plays: the simulator's clean per-sample arrays, looked up by time (looping)."""

from __future__ import annotations

from dataclasses import dataclass

from imuhold.model import Quat, Vec3
from imuhold.sim.simulation import Simulation


@dataclass(frozen=True, slots=True)
class MotionTrack:
    """Sensor-frame orientation, specific force and angular rate at a fixed rate; ``at(t_s)`` loops the track."""

    rate_hz: float
    quat: tuple[Quat, ...]
    acc_m_s2: tuple[Vec3, ...]
    gyr_rad_s: tuple[Vec3, ...]

    @classmethod
    def from_simulation(cls, simulation: Simulation) -> MotionTrack:
        return cls(
            float(simulation.metadata["rate_hz"]),
            tuple(tuple(row) for row in simulation.quat.tolist()),  # type: ignore[misc]
            tuple(tuple(row) for row in simulation.acc_m_s2.tolist()),  # type: ignore[misc]
            tuple(tuple(row) for row in simulation.gyr_rad_s.tolist()),  # type: ignore[misc]
        )

    @classmethod
    def standing_still(cls, seconds: float = 1.0, rate_hz: float = 100.0) -> MotionTrack:
        n = max(1, round(seconds * rate_hz))
        return cls(rate_hz, ((1.0, 0.0, 0.0, 0.0),) * n, ((0.0, 0.0, 9.80665),) * n, ((0.0, 0.0, 0.0),) * n)

    def after_standing(self, seconds: float) -> MotionTrack:
        """This track, preceded by ``seconds`` of standing perfectly still in its first pose."""
        n = round(seconds * self.rate_hz)
        if n <= 0:
            return self
        return MotionTrack(
            self.rate_hz,
            (self.quat[0],) * n + self.quat,
            (self.acc_m_s2[0],) * n + self.acc_m_s2,
            ((0.0, 0.0, 0.0),) * n + self.gyr_rad_s,
        )

    @property
    def duration_s(self) -> float:
        return len(self.quat) / self.rate_hz

    def index(self, t_s: float) -> int:
        return int(t_s * self.rate_hz + 1e-9) % len(self.quat)

    def at(self, t_s: float) -> tuple[Quat, Vec3, Vec3]:
        k = self.index(t_s)
        return self.quat[k], self.acc_m_s2[k], self.gyr_rad_s[k]


def routine_track(seed: int = 1, seconds: float | None = None) -> MotionTrack:
    """The demo routine as a track."""
    from imuhold import sim

    return MotionTrack.from_simulation(sim.simulate(sim.routine(seed, seconds), seed))
