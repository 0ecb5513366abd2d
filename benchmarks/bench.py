"""Time `dz` start-up and scale against the budgets of issue 5, and print PASS/FAIL for each.

It times the `dz` script beside the Python that runs it (or --dz). Run with a Python that has
no `dz` beside it (a fresh clone), it first installs this checkout, editable, into a venv of
its own (benchmarks/out/venv) and runs itself again from there:

    python3 benchmarks/bench.py                     # about 2 minutes on 2 cores
    python3 benchmarks/bench.py --quick             # fewer runs, same budgets
    .venv/bin/python benchmarks/bench.py            # the dz installed in .venv

Start-up: each command and a bare `python -c pass` (the same interpreter) run in turn, round
after round, so a burst of load on the machine hits them all alike; the table shows medians.
Memory is each process's own peak resident set (its rusage from os.wait4).

Scale: synthetic stores of 1k to 250k statistics (benchmarks/synthetic.py, written once to
benchmarks/out/) are read by `dz stats 2021 --json --db STORE` and by the plain-json floor:
a script that only loads the same file with the standard json module and filters the same
records (it writes no JSON, so the floor is the least any Python reader has to do).

Exit status: 0 if every budget holds, 1 if one fails, 2 if the benchmark cannot run.
Stdlib only; POSIX only (os.posix_spawn, os.wait4).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NoReturn

import synthetic

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
SIZES = (1_000, 10_000, 100_000, 250_000)

FLOOR = """\
import json, sys
with open(sys.argv[1], "rb") as f:
    store = json.load(f)
rows = [r for r in store["stats"].values() if r.get("period", "")[:4] == sys.argv[2]]
print(len(rows))
"""

# Budgets from issue 5: (ratio to `python -c pass`) for start-up, absolute and relative at scale.
STARTUP_BUDGETS = {"--version": 5.0, "stats 2021 --json": 7.0, "stats 2021": 11.0}
BIG_SECONDS, BIG_FLOOR_RATIO, BIG_MEMORY_RATIO = 1.5, 2.0, 3.0
X = "\u00d7"  # the multiplication sign, for ratios
LINEAR_SLACK = 1.5  # the last step's cost per 1k records may be at most this times the earlier


@dataclass
class Sample:
    seconds: float
    peak_bytes: int


# A process's ru_maxrss also counts the memory of the process it was spawned from (Linux keeps
# the old image's high-water mark across exec), so runs are launched from this minimal Python,
# whose own peak is that of `python -c pass`, never from the benchmark itself.
LAUNCHER = """\
import os, sys, time
quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"bench: {message}\n")
    sys.exit(2)


def run_once(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run `argv` with stdout and stderr discarded; its wall time and its own peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *argv], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        fail(f"could not run {' '.join(argv)}:\n{done.stderr}")
    seconds, maxrss, code = done.stdout.split()
    if code != "0":
        fail(f"{' '.join(argv)} exited with {code}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Sample(float(seconds), int(maxrss) * scale)


def check_output(argv: Sequence[str], env: dict[str, str]) -> str:
    """Run `argv` once for real and return its stdout; stop the benchmark if it fails."""
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail(f"{' '.join(argv)} exited with {done.returncode}:\n{done.stderr}")
    return done.stdout


def interleaved(commands: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict:
    """Run every command once per round, rotating the order each round; samples per command."""
    names = list(commands)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for name in names:  # warm the page cache and __pycache__ before timing anything
        run_once(commands[name], env)
    for round_ in range(rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(run_once(commands[name], env))
    return samples


def median_time(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def median_peak(samples: list[Sample]) -> float:
    return statistics.median(s.peak_bytes for s in samples)


def imported_modules(argv: Sequence[str], env: dict[str, str]) -> set[str]:
    """Top-level packages a command imports, from `python -X importtime` (via the env var)."""
    done = subprocess.run(
        argv, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


class Verdicts:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.failed = False

    def check(self, ok: bool, what: str, measured: str) -> None:
        self.failed |= not ok
        self.lines.append(f"  {'PASS' if ok else 'FAIL'}  {what:<58} {measured}")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    try:
        typer = metadata.version("typer")
    except metadata.PackageNotFoundError:
        typer = "not installed"
    return (
        f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Typer {typer}"
    )


def mb(n: float) -> str:
    return f"{n / 2**20:.1f} MB"


def startup(dz: str, env: dict[str, str], rounds: int, verdicts: Verdicts) -> None:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "--version": [dz, "--version"],
        "stats 2021 --json": [dz, "stats", "2021", "--json"],
        "stats 2021": [dz, "stats", "2021"],
        "projects --park 高新产业园": [dz, "projects", "--park", "高新产业园"],
        "--help": [dz, "--help"],
    }
    for argv in commands.values():
        check_output(argv, env)
    samples = interleaved(commands, env, rounds)
    floor = median_time(samples["python -c pass"])
    print(f"\nStart-up ({rounds} interleaved runs each, medians; shipped store)\n")
    print(f"  {'command':<32} {'wall':>9} {'peak RSS':>10} {X + ' pass':>7} {'budget':>7}")
    for name, runs in samples.items():
        label = name if name.startswith("python") else f"dz {name}"
        budget = STARTUP_BUDGETS.get(name)
        ratio = median_time(runs) / floor
        line = (
            f"  {label:<32} {median_time(runs) * 1000:>6.1f} ms {mb(median_peak(runs)):>10} "
            f"{ratio:>6.2f}{X} {'' if budget is None else f'≤{budget:g}{X}':>7}"
        )
        print(line.rstrip())
        if budget is not None:
            verdicts.check(
                ratio <= budget,
                f"dz {name}: at most {budget:g}{X} python -c pass",
                f"{ratio:.2f}{X}",
            )
    for name, forbidden in (("--version", {"rich", "tinydb"}), ("stats 2021 --json", {"rich"})):
        found = imported_modules(commands[name], env) & forbidden
        verdicts.check(
            not found,
            f"dz {name}: imports none of {', '.join(sorted(forbidden))}",
            "imports " + ", ".join(sorted(found)) if found else "none imported",
        )


def scale(
    dz: str, env: dict[str, str], sizes: Sequence[int], runs: int, verdicts: Verdicts
) -> None:
    stores = {n: _store(n) for n in sizes}
    print(
        f"\nScale: `dz stats 2021 --json --db STORE` vs the plain-json floor "
        f"({runs} interleaved runs each, medians)\n"
    )
    print(
        f"  {'statistics':>10} {'file':>10} {'dz':>9} {'per 1k':>8} {'step/1k':>8} "
        f"{'floor':>9} {'dz/floor':>8} {'dz RSS':>10} {'RSS/file':>8} {'floor RSS':>10}"
    )
    results = {}
    for n, path in stores.items():
        commands = {
            "dz": [dz, "stats", "2021", "--json", "--db", str(path)],
            "floor": [sys.executable, "-c", FLOOR, str(path), "2021"],
        }
        _same_records(commands, env)
        samples = interleaved(commands, env, runs)
        results[n] = samples
        size = path.stat().st_size
        dz_time, floor_time = median_time(samples["dz"]), median_time(samples["floor"])
        previous = [m for m in results if m < n]
        step = "—"
        if previous:
            p = max(previous)
            step = f"{(dz_time - median_time(results[p]['dz'])) / (n - p) * 1e6:.2f} ms"
        print(
            f"  {n:>10,} {mb(size):>10} {dz_time:>7.3f} s {dz_time / n * 1e6:>5.2f} ms "
            f"{step:>8} {floor_time:>7.3f} s {dz_time / floor_time:>7.2f}{X} "
            f"{mb(median_peak(samples['dz'])):>10} {median_peak(samples['dz']) / size:>7.2f}{X} "
            f"{mb(median_peak(samples['floor'])):>10}"
        )
    print(
        "\n  per 1k: wall time / (statistics / 1000); step/1k: the extra time per 1k "
        "statistics over the next smaller store."
    )
    biggest = max(sizes)
    big = results[biggest]
    big_time = median_time(big["dz"])
    label = f"{biggest // 1000}k"
    verdicts.check(
        big_time < BIG_SECONDS,
        f"{label}: dz stats 2021 --json under {BIG_SECONDS} s",
        f"{big_time:.3f} s",
    )
    ratio = big_time / median_time(big["floor"])
    verdicts.check(
        ratio <= BIG_FLOOR_RATIO,
        f"{label}: at most {BIG_FLOOR_RATIO:g}{X} the plain-json floor",
        f"{ratio:.2f}{X}",
    )
    memory = median_peak(big["dz"]) / stores[biggest].stat().st_size
    verdicts.check(
        memory <= BIG_MEMORY_RATIO,
        f"{label}: peak RSS at most {BIG_MEMORY_RATIO:g}{X} the file size",
        f"{memory:.2f}{X}",
    )
    if len(sizes) >= 3:
        ordered = sorted(sizes)
        steps = [
            (median_time(results[b]["dz"]) - median_time(results[a]["dz"])) / (b - a)
            for a, b in itertools.pairwise(ordered)
        ]
        last, earlier = steps[-1], max(steps[1:-1] or steps[:1])
        verdicts.check(
            last <= LINEAR_SLACK * earlier,
            f"linear: last step per 1k ≤ {LINEAR_SLACK:g}{X} the earlier steps",
            f"{last * 1e6:.2f} vs {earlier * 1e6:.2f} ms per 1k",
        )


EXPORT_SECONDS, EXPORT_MEMORY_RATIO = 20.0, 3.0
EXPORTS = {"sqlite": "facts.db", "datapackage": "facts-package", "parquet": "facts-parquet"}


def exports(dz: str, env: dict[str, str], n: int, verdicts: Verdicts) -> None:
    """Issue 11's budgets: each export of the biggest store under 20 s, in at most 3x its size."""
    import shutil

    path = _store(n)
    size = path.stat().st_size
    target = OUT / "export"
    print(f"\nExport of the {n:,}-statistic store ({mb(size)}), one run each\n")
    print(f"  {'format':<12} {'wall':>9} {'peak RSS':>10} {'RSS/file':>8} {'output':>10}")
    for kind, name in EXPORTS.items():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        out = target / name
        sample = run_once([dz, "export", kind, str(out), "--db", str(path)], env)
        written = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        ratio = sample.peak_bytes / size
        print(
            f"  {kind:<12} {sample.seconds:>7.2f} s {mb(sample.peak_bytes):>10} "
            f"{ratio:>7.2f}{X} {mb(written):>10}"
        )
        label = f"{n // 1000}k: dz export {kind}"
        verdicts.check(
            sample.seconds < EXPORT_SECONDS,
            f"{label} under {EXPORT_SECONDS:g} s",
            f"{sample.seconds:.2f} s",
        )
        verdicts.check(
            ratio <= EXPORT_MEMORY_RATIO,
            f"{label}: peak RSS at most {EXPORT_MEMORY_RATIO:g}{X} the file",
            f"{ratio:.2f}{X}",
        )
    shutil.rmtree(target, ignore_errors=True)


# Issue 10's budgets for writes: ratio to `python -c pass`, and absolute seconds.
ADD_STAT_RATIO, ADD_STAT_BIG_SECONDS, IMPORT_SECONDS, IMPORTED = 12.0, 3.0, 5.0, 10_000
_QUOTE = "2021年,地区生产总值达到317.19亿元"  # in the shipped report, as written there


def _add_stat(dz: str, store: Path, period: str, source: str = "dezhou-etdz-2022") -> list[str]:
    return [
        dz,
        "add",
        "stat",
        "--metric",
        "gdp",
        "--period",
        period,
        "--value",
        "317.19",
        "--unit",
        "亿元",
        "--source",
        source,
        "--quote",
        _QUOTE,
        "--db",
        str(store),
    ]


def _scratch_store(name: str, original: Path) -> Path:
    """A copy of `original` in its own folder, with the shipped source texts beside it."""
    import shutil

    folder = OUT / "writes" / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(REPO / "data" / "sources", folder / "sources")
    shutil.copyfile(original, folder / "facts.json")
    return folder / "facts.json"


def writes(dz: str, env: dict[str, str], rounds: int, n: int, verdicts: Verdicts) -> None:
    """Issue 10's budgets: `dz add stat` on the shipped store and on the biggest synthetic one,
    and `dz import` of 10,000 statistics. Each add gives a period no other run used, so every
    run writes (a refused add would fail the benchmark)."""
    periods = (f"{1800 + i // 4}-Q{i % 4 + 1}" for i in itertools.count())
    shipped = _scratch_store("shipped", REPO / "data" / "facts.json")
    pass_samples, add_samples = [], []
    for round_ in range(rounds + 1):  # the first round warms the caches, untimed
        pair = [[sys.executable, "-c", "pass"], _add_stat(dz, shipped, next(periods))]
        for argv in pair if round_ % 2 else pair[::-1]:
            sample = run_once(argv, env)
            if round_:
                (add_samples if "add" in argv else pass_samples).append(sample)
    add_time, pass_time = median_time(add_samples), median_time(pass_samples)
    print(f"\nWrites ({rounds} interleaved runs of each add, medians; one import)\n")
    print(f"  {'command':<44} {'wall':>9} {'peak RSS':>10}")
    print(f"  {'python -c pass':<44} {pass_time:>7.3f} s {mb(median_peak(pass_samples)):>10}")
    print(f"  {'dz add stat (shipped store)':<44} {add_time:>7.3f} s "
          f"{mb(median_peak(add_samples)):>10}")  # fmt: skip
    verdicts.check(
        add_time / pass_time <= ADD_STAT_RATIO,
        f"dz add stat: at most {ADD_STAT_RATIO:g}{X} python -c pass",
        f"{add_time / pass_time:.2f}{X}",
    )

    big = _scratch_store(f"stats-{n}", _store(n))
    big_samples = [run_once(_add_stat(dz, big, next(periods)), env) for _ in range(3)]
    big_time = median_time(big_samples)
    label = f"dz add stat ({n // 1000}k store)"
    print(f"  {label:<44} {big_time:>7.3f} s {mb(median_peak(big_samples)):>10}")
    verdicts.check(
        big_time < ADD_STAT_BIG_SECONDS,
        f"{n // 1000}k: dz add stat under {ADD_STAT_BIG_SECONDS:g} s",
        f"{big_time:.3f} s",
    )

    rows = OUT / "writes" / "import.jsonl"
    with rows.open("w", encoding="utf-8") as out:
        months = list(itertools.combinations(range(1, 13), 2))  # 66 month ranges a year
        for i in range(IMPORTED):
            year, (first, last) = 1800 + i // len(months), months[i % len(months)]
            p = f"{year}-{first:02d}/{year}-{last:02d}"
            row = {
                "id": f"gdp@{p}",
                "metric": "gdp",
                "period": p,
                "value": 317.19,
                "unit": "亿元",
                "source": {"doc": "dezhou-etdz-2022", "quote": _QUOTE},
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    target = _scratch_store("import", REPO / "data" / "facts.json")
    sample = run_once([dz, "import", str(rows), "--table", "stats", "--db", str(target)], env)
    added = sum(1 for r in json.loads(target.read_bytes())["stats"].values() if "/" in r["period"])
    if added < IMPORTED:
        fail(f"dz import added {added} of {IMPORTED} statistics")
    label = f"dz import ({IMPORTED:,} stats, shipped store)"
    print(f"  {label:<44} {sample.seconds:>7.3f} s {mb(sample.peak_bytes):>10}")
    verdicts.check(
        sample.seconds < IMPORT_SECONDS,
        f"dz import of {IMPORTED:,} stats under {IMPORT_SECONDS:g} s",
        f"{sample.seconds:.3f} s",
    )


def _store(n: int) -> Path:
    """The synthetic store of `n` statistics, written once (again if the generator changed)."""
    path = OUT / f"stats-{n}.json"
    generator = Path(synthetic.__file__)
    if not path.exists() or path.stat().st_mtime < generator.stat().st_mtime:
        print(f"  writing {path.relative_to(HERE.parent)} …", flush=True)
        synthetic.write(path, n)
    return path


def _same_records(commands: dict[str, list[str]], env: dict[str, str]) -> None:
    """Both readers must agree on how many records 2021 has, or the timing means nothing."""
    rows = json.loads(check_output(commands["dz"], env))
    floor = int(check_output(commands["floor"], env))
    if len(rows) != floor:
        fail(f"dz printed {len(rows)} records, the floor found {floor}")


def installed_dz() -> str:
    """The dz beside this Python; from a fresh clone, one installed in a venv of our own."""
    beside = Path(sys.executable).parent / "dz"
    if beside.exists():
        return str(beside)
    venv = OUT / "venv"
    python = venv / "bin" / "python"
    if os.environ.get("DZ_BENCH_VENV") or not sys.executable:
        fail(f"no dz beside {sys.executable}")
    print(f"bench: no dz beside {sys.executable}; installing this checkout into {venv}")
    # Editable, so the venv always runs the checkout as it is now; reinstalled only when the
    # dependencies may have changed.
    stamp, wanted = venv / "installed-from", hashlib.sha256((REPO / "pyproject.toml").read_bytes())
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not stamp.exists() or stamp.read_text() != wanted.hexdigest():
        pip = [str(python), "-m", "pip", "install", "--quiet", "--editable", str(REPO)]
        if subprocess.run(pip, check=False).returncode != 0:
            fail("could not install dz into the benchmark's venv")
        stamp.write_text(wanted.hexdigest())
    argv = [str(python), str(Path(__file__).resolve()), *sys.argv[1:]]
    os.execve(argv[0], argv, {**os.environ, "DZ_BENCH_VENV": str(venv)})


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10 start-up rounds and 3 runs per store (default 20 and 10)",
    )
    parser.add_argument("--dz", help="the dz executable to time (default: see above)")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=SIZES,
        metavar="N",
        help="synthetic store sizes in statistics (default: %(default)s)",
    )
    parser.add_argument("--rounds", type=int, help="start-up rounds (at least 10)")
    parser.add_argument("--runs", type=int, help="runs per synthetic store")
    parser.add_argument(
        "--only",
        choices=("startup", "scale", "export", "writes"),
        help="run one part (no verdict on the others)",
    )
    args = parser.parse_args()
    dz = args.dz or installed_dz()
    if not os.access(dz, os.X_OK):
        parser.error(f"{dz} is not an executable")
    rounds = max(10, args.rounds or (10 if args.quick else 20))
    runs = args.runs or (3 if args.quick else 10)
    # Time dz as installed: its own store, and its bytecode cache (which pip writes for a wheel
    # and Python writes on first use of an editable install) even where the caller turned it off.
    dropped = ("DZ_DB", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}

    print(f"dz benchmark: {dz}\nmachine: {machine()}")
    verdicts = Verdicts()
    if args.only in (None, "startup"):
        startup(dz, env, rounds, verdicts)
    if args.only in (None, "scale"):
        scale(dz, env, sorted(args.sizes), runs, verdicts)
    if args.only in (None, "export"):
        exports(dz, env, max(args.sizes), verdicts)
    if args.only in (None, "writes"):
        writes(dz, env, rounds, max(args.sizes), verdicts)
    print("\nBudgets\n")
    print("\n".join(verdicts.lines))
    return 1 if verdicts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
