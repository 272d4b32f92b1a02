"""The data commands: analyze, import, export, evaluate and simulate (heavy modules are imported inside them)."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import click

from imuhold.cli.common import (
    CONVENTIONS,
    EXPORT_FORMATS,
    click_error,
    data_dir_option,
    import_options,
    param_option,
    parse_params,
    session_argument,
)
from imuhold.cli.storage import open_store, user_config
from imuhold.errors import ImuholdError
from imuhold.formats import FORMAT_NAMES as IMPORT_FORMATS  # names only: no numpy at import

FORMATS = ("auto", "imuhold", *IMPORT_FORMATS)
SENSOR_ERROR_PROFILES = ("none", "typical", "harsh")
"""The simulator's sensor-error profiles (``imuhold.sim.errors.PROFILES``), named here so --help loads no numpy."""


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line.")
@import_options
@param_option
def analyze(
    files: tuple[Path, ...], fmt: str, as_json: bool, sensor: str | None, orientation: str, params: tuple[str, ...]
) -> None:
    """Run the pipeline on recordings and report squats and holds (times in s from the first sample).

    Foreign data files (SisFall, CMU-MBL, KFall, DOT CSV, MetaBase CSV) are imported on the fly; --format auto
    recognises them from their content. A file that cannot be read is named on stderr, the others are still
    analysed, and the exit status is 1. Several files on a terminal show progress on stderr (not with --json).
    """
    from imuhold.analysis import analyze_recording
    from imuhold.cli.progress import for_command
    from imuhold.formats.base import ImportOptions
    from imuhold.report import analysis_to_dict, summary_lines

    detector_params = parse_params(params)
    import_opts = ImportOptions(sensor, orientation)
    failed = 0
    with for_command(quiet=as_json or len(files) < 2) as progress:
        progress.start(files)
        for path in files:
            try:
                analysis, warnings = analyze_recording(path, fmt, detector_params, import_opts)
            except ImuholdError as exc:
                failed += 1
                progress.clear()
                click.echo(f"imuhold: {exc.title}: {exc}", err=True)
                progress.done(path, 0)
                continue
            progress.clear()
            for warning in warnings:
                click.echo(f"imuhold: warning: {warning}", err=True)
            if as_json:
                click.echo(json.dumps(analysis_to_dict(analysis, str(path), warnings)))
            else:
                click.echo(f"{path}: {analysis.duration_s:.1f} s, {analysis.samples} samples")
                for line in summary_lines(analysis):
                    click.echo(f"  {line}")
            progress.done(path, analysis.samples)
    if failed:
        sys.exit(1)


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--scenario", default="routine", show_default=True, help="Scenario name (see --list).")
@click.option("--list", "list_only", is_flag=True, help="List the scenarios and exit.")
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
@click.option("--sensor-errors", type=click.Choice(SENSOR_ERROR_PROFILES), default="typical", show_default=True,
              help="Draw a real chip's errors and a mounting from the seed (docs/simulator.md); none: an ideal chip.")
@click.option("--mounting", default=None, metavar="PLACE-ATTITUDE",
              help="Fix the mounting: back|front|left|right - flat|upside-down|sideways|twisted.")
@click.option("--frame-type", type=click.Choice(("quat", "raw")), default=None,
              help="Frames the sensor sends (default: the scenario's); gyro errors need raw.")
def simulate(
    out: Path,
    seed: int,
    scenario: str,
    list_only: bool,
    force: bool,
    sensor_errors: str,
    mounting: str | None,
    frame_type: str | None,
) -> None:
    """Write a labelled recording of a simulated session to OUT (.imuhold or .imuhold.gz)."""
    from imuhold import sim
    from imuhold.sim.export import write_simulation

    if list_only:
        for name, builder in sorted(sim.SCENARIOS.items()):
            click.echo(f"{name:24} {builder(seed).description}")
        return
    if scenario not in sim.SCENARIOS:
        raise click.BadParameter(f"unknown scenario {scenario!r}; known: {', '.join(sorted(sim.SCENARIOS))}")
    try:
        fitted = sim.with_sensor_errors(
            sim.SCENARIOS[scenario](seed), seed, sensor_errors, mount=mounting, frame_type=frame_type
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--mounting") from exc
    simulation = sim.simulate(fitted, seed)
    try:
        recording, labels = write_simulation(simulation, out, overwrite=force)
    except FileExistsError:
        raise click.ClickException(f"{out} exists; pass --force to overwrite it") from None
    click.echo(f"wrote {recording} ({len(simulation.packets)} packets) and {labels}")
    config = fitted.sensor
    if config.errors is not None or config.mounting is not None:
        click.echo(f"  sensor: {_sensor_summary(config)}")


def _sensor_summary(config) -> str:
    parts = [f"{config.frame_type} frames"]
    if config.mounting is not None:
        parts.append(f"mounted {config.mounting.name}")
    if config.errors is not None:
        readable = config.errors.to_dict()["readable"]
        gyro = ", ".join(f"{v:+.2f}" for v in readable["gyr_offset_dps"])
        acc = ", ".join(f"{v:+.0f}" for v in readable["acc_offset_mg"])
        parts.append(f"gyro offset ({gyro}) °/s, acc offset ({acc}) mg, clock {readable['rate_error_pct']:+.2f} %")
    return "; ".join(parts)


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(("auto", *IMPORT_FORMATS)))
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@import_options
@click.option("--force", is_flag=True, help="Overwrite OUT (or files in it) if it exists.")
def import_(
    fmt: str, files: tuple[Path, ...], out: Path, sensor: str | None, orientation: str, force: bool
) -> None:
    """Convert foreign data files into imuhold recordings.

    FORMAT is sisfall, cmu-mbl, kfall, dot-csv, metabase-csv, imuhold-csv or auto (recognised from the content).
    OUT (.imuhold or .imuhold.gz) holds the samples as imuhold-v1 notifications, read by `analyze` and `replay`
    like any recording. With several FILEs (or when OUT is a folder), OUT is a folder and each file becomes
    OUT/NAME.imuhold.gz; a file that cannot be imported is named on stderr, the others are still imported, and
    the exit status is 1. Several files on a terminal show progress on stderr.
    """
    from imuhold.cli.progress import for_command
    from imuhold.formats.base import ImportOptions

    options = ImportOptions(sensor, orientation)
    if len(files) == 1 and not out.is_dir():
        _import_one(files[0], fmt, out, options, force, lambda exc: click_error(exc))
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot make the folder {out}: {exc.strerror or exc}") from None
    failed = 0
    with for_command() as progress:
        progress.start(files)
        for file in files:
            progress.clear()
            samples = _import_one(file, fmt, out / recording_name(file), options, force, _say_failed)
            failed += samples is None
            progress.done(file, samples or 0)
    if failed:
        sys.exit(1)


def recording_name(path: Path) -> str:
    """The name of the recording a foreign file becomes: its name without data suffixes, then ``.imuhold.gz``."""
    name = path.name
    for suffix in (".gz", ".csv", ".txt", ".imuhold"):
        name = name.removesuffix(suffix)
    return f"{name or 'import'}.imuhold.gz"


def _say_failed(exc: ImuholdError) -> None:
    click.echo(f"imuhold: {exc.title}: {exc}", err=True)


def _import_one(file: Path, fmt: str, out: Path, options, force: bool, fail) -> int | None:
    """Import ``file`` to ``out`` and say so; its samples, or None when it failed (``fail(error)`` was told,
    and raised when it returned an exception)."""
    from imuhold import formats
    from imuhold.errors import RecordingError
    from imuhold.formats.packets import write_recording

    try:
        imported = formats.load(file, fmt, options)
        warnings = write_recording(imported, out, overwrite=force)
    except FileExistsError:
        problem: ImuholdError = ImuholdError(f"{out} exists; pass --force to overwrite it")
    except ImuholdError as exc:
        problem = exc
    except (ValueError, OSError) as exc:
        problem = RecordingError(str(file), f"cannot be written to {out} ({getattr(exc, 'strerror', None) or exc})")
    else:
        for warning in (*imported.warnings, *warnings):
            click.echo(f"imuhold: warning: {warning}", err=True)
        click.echo(
            f"wrote {out}: {imported.samples} samples, {imported.duration_s:.1f} s at {imported.rate_hz:g} Hz"
            f" from {imported.source} ({imported.meta.get('orientation', imported.frame_type)})"
        )
        return imported.samples
    error = fail(problem)
    if isinstance(error, BaseException):
        raise error from None
    return None


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option("--tolerance", type=click.FloatRange(min=0.0, min_open=True), default=0.5, show_default=True,
              metavar="SECONDS", help="Labelled recordings: how close a found event must be to a true one.")
@click.option("--standing-prefix", type=click.FloatRange(min=0.0), default=2.0, show_default=True, metavar="SECONDS",
              help="SisFall, KFall: still standing run before each trial, for the calibration (0: as recorded).")
@import_options
@param_option
def evaluate(
    path: Path,
    as_json: bool,
    jobs: int,
    tolerance: float,
    standing_prefix: float,
    sensor: str | None,
    orientation: str,
    params: tuple[str, ...],
) -> None:
    """Report the detector's accuracy on a dataset folder.

    SisFall, KFall and CMU-MBL files, labelled recordings and BROAD trials anywhere under PATH are recognised from
    their content, and each kind gets its section (see docs/evaluation.md). The thresholds used head the report.
    Files that cannot be evaluated are listed, the others still are, and the exit status is 1. On a terminal,
    progress is shown on stderr (not with --json).
    """
    from imuhold.cli.progress import for_command
    from imuhold.evaluation.report import evaluate_folder, text_lines
    from imuhold.formats.base import ImportOptions

    detector_params = parse_params(params)
    try:
        with for_command(quiet=as_json) as progress:
            report = evaluate_folder(
                path,
                detector_params,
                jobs=jobs,
                options=ImportOptions(sensor, orientation),
                tolerance_s=tolerance,
                standing_prefix_s=standing_prefix,
                progress=progress,
            )
    except (ImuholdError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report))
    else:
        for line in text_lines(report):
            click.echo(line)
    if report["errors"]:
        if as_json:  # the text report lists them; JSON's "errors" does too, and stderr says how many
            click.echo(f"imuhold: {len(report['errors'])} file(s) could not be evaluated", err=True)
        sys.exit(1)


def _open_output(path: Path, force: bool):
    """``path`` opened for text, created owner-only; refuses to overwrite unless ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _write_output(path: Path | None, force: bool, write):
    """``write(stream)`` to ``path`` (standard output when None); returns what it returns.

    A write that fails (a full disk…) is click's one-line error, and a file left half-written is removed: no
    output file is ever a partial one.
    """
    if path is None:
        try:
            result = write(sys.stdout)
            sys.stdout.flush()
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # the reader went away (``| head``): click ends quietly
            raise click.ClickException(f"cannot write to standard output: {exc.strerror or exc}") from None
        return result
    out = _open_output(path, force)
    try:
        with out:
            return write(out)
    except OSError as exc:
        if path.is_file():
            path.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}; nothing was written") from None
    except BaseException:  # a read that failed half-way (the store is read as the rows are written)
        path.unlink(missing_ok=True)
        raise


@click.command()
@session_argument
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True)
@click.option("--convention", type=click.Choice(CONVENTIONS), default=None,
              help="Angle signs: clinical (anterior tilt +), isb or opensim (default: the config's).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (owner-only) instead of standard output.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@data_dir_option
def export(
    session: str, fmt: str, convention: str | None, output: Path | None, force: bool, data_dir: Path | None
) -> None:
    """Export a session (an id, or `last`): samples CSV, JSON summary, or OpenSim .sto orientations.

    The CSV columns are documented in docs/export.md. With -o FILE.sto the standing calibration pose is also
    written to FILE_calibration.sto, for OpenSense's IMU placer.
    """
    from imuhold.export import export_session, write_sto

    store, folder = open_store(data_dir)
    with store:
        try:
            info = store.resolve(session)
            conv = convention or user_config().convention
            params = user_config().detector_params()
            result = _write_output(
                output,
                force,
                lambda out: export_session(store, info, fmt, out, data_dir=folder, convention=conv, params=params),
            )
        except ImuholdError as exc:
            raise click_error(exc) from None
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"imuhold: warning: {warning}", err=True)
    if output is not None and fmt == "sto" and result.calibration_quat is not None:
        calibration = output.with_name(f"{output.stem}_calibration.sto")
        pose = [(0.0, result.calibration_quat)]
        _write_output(calibration, force, lambda out: write_sto(pose, info.rate_hz or 100.0, out))
    if output is not None:
        click.echo(f"wrote {output}: session {info.id}, {result.rows} rows ({fmt}, {conv})", err=True)


COMMANDS = (analyze, import_, export, evaluate, simulate)
