"""The ``imuhold`` command line: demo, analyze and simulate (heavy modules are imported inside commands)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from imuhold import __version__
from imuhold.errors import ImuholdError

FORMATS = ("auto", "imuhold")


def _detector_params(overrides: tuple[str, ...]):
    from imuhold.detect.params import DetectorParams

    values: dict[str, str] = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        values[name.strip()] = value.strip()
    try:
        return DetectorParams().with_overrides({k: float(v) for k, v in values.items()})
    except (ValueError, ImuholdError) as exc:
        raise click.BadParameter(str(exc), param_hint="--param") from exc


param_option = click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a detector parameter (repeatable), e.g. --param min_hold_s=3.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="imuhold")
def main() -> None:
    """Hands-free coach and logger for the deep squat hold, from a Bluetooth IMU at the pelvis."""


@main.command()
@click.option("--headless", is_flag=True, help="Print events instead of the training screen.")
@click.option("--seconds", type=click.FloatRange(min=10.0), default=None, help="Length of the simulated routine.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the simulated routine.")
@click.option("--fast", is_flag=True, help="Run as fast as possible instead of in real time.")
@param_option
def demo(headless: bool, seconds: float | None, seed: int, fast: bool, params: tuple[str, ...]) -> None:
    """Train with the built-in simulated sensor: a realistic routine through the real pipeline."""
    from imuhold import sim
    from imuhold.pipeline import Pipeline
    from imuhold.protocol import get_profile
    from imuhold.report import event_line, summary_lines

    if not headless:
        click.echo("The training screen is not built yet; running headless.", err=True)
    detector_params = _detector_params(params)
    simulation = sim.simulate(sim.routine(seed, seconds), seed)
    pipeline = Pipeline(get_profile(simulation.metadata["profile"]), simulation.metadata["rate_hz"], detector_params)
    click.echo(f"imuhold demo: simulated sensor, seed {seed}, {simulation.t_s[-1]:.0f} s routine")
    packets = simulation.packets
    shown_state = pipeline.live.state
    start_wall = time.monotonic()
    t0_ns = packets[0].t_host_ns if packets else 0
    try:
        for packet in packets:
            if not fast:
                delay = (packet.t_host_ns - t0_ns) / 1e9 - (time.monotonic() - start_wall)
                if delay > 0:
                    time.sleep(delay)
            for event in pipeline.feed(packet):
                click.echo(event_line(event))
            if pipeline.live.state is not shown_state:
                shown_state = pipeline.live.state
                click.echo(f"{pipeline.live.t_s:8.2f} s  → {shown_state.value}")
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    for event in pipeline.finish():
        click.echo(event_line(event))
    click.echo("")
    for line in summary_lines(pipeline.analysis()):
        click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@param_option
def analyze(files: tuple[Path, ...], fmt: str, as_json: bool, params: tuple[str, ...]) -> None:
    """Run the pipeline on recordings and report squats and holds (times in s from the first sample)."""
    from imuhold.analysis import analyze_recording
    from imuhold.report import analysis_to_dict, summary_lines

    detector_params = _detector_params(params)
    failed = 0
    for path in files:
        try:
            analysis, warnings = analyze_recording(path, fmt, detector_params)
        except ImuholdError as exc:
            failed += 1
            click.echo(f"imuhold: {exc.title}: {exc}", err=True)
            continue
        for warning in warnings:
            click.echo(f"imuhold: warning: {warning}", err=True)
        if as_json:
            click.echo(json.dumps(analysis_to_dict(analysis, str(path), warnings)))
        else:
            click.echo(f"{path}: {analysis.duration_s:.1f} s, {analysis.samples} samples")
            for line in summary_lines(analysis):
                click.echo(f"  {line}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scenario", default="routine", show_default=True, help="Scenario name (see --list).")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def simulate(out: Path, seed: int, scenario: str, list_only: bool, force: bool) -> None:
    """Write a labelled recording of a simulated session to OUT (.imuhold or .imuhold.gz)."""
    from imuhold import sim
    from imuhold.sim.export import write_simulation

    if list_only:
        for name, builder in sorted(sim.SCENARIOS.items()):
            click.echo(f"{name:24} {builder(seed).description}")
        return
    if scenario not in sim.SCENARIOS:
        raise click.BadParameter(f"unknown scenario {scenario!r}; known: {', '.join(sorted(sim.SCENARIOS))}")
    simulation = sim.simulate(sim.SCENARIOS[scenario](seed), seed)
    try:
        recording, labels = write_simulation(simulation, out, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it") from None
    click.echo(f"wrote {recording} ({len(simulation.packets)} packets) and {labels}")


if __name__ == "__main__":  # pragma: no cover
    main()
