"""Helping a person type: shell completion from the store, "did you mean", real help examples."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import typer
from cli_commands import leaf_commands, writes
from helpers import require_sources
from typer.testing import CliRunner

from dzcli.cli import app, completion
from dzcli.read import Store, open_store

runner = CliRunner()
COMMANDS = leaf_commands()


@pytest.fixture
def store(facts_db: Path) -> Store:
    return open_store(facts_db)


def values(candidates: list[tuple[str, str]]) -> list[str]:
    return [value for value, _help in candidates]


# --- candidates ------------------------------------------------------------------------------


def test_metric_ids_and_names_complete(store: Store) -> None:
    assert values(completion.metric_candidates(store, "g")) == [
        "gdp",
        "general_public_budget_revenue",
        "goods_trade",
    ]
    assert completion.metric_candidates(store, "地区") == [
        ("地区生产总值", "Gross regional product")
    ]
    assert completion.metric_candidates(store, "Gross") == [
        ("Gross regional product", "地区生产总值")
    ]
    assert ("gdp", "地区生产总值 Gross regional product") in completion.metric_candidates(
        store, "gd"
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("高新", ["高新产业园"]),
        ("京鲁", ["京鲁数谷产业园", "京鲁数谷", "京鲁数谷数字经济产业园"]),  # with its aliases
        ("High", ["High-Tech Industrial Park"]),
        ("hi", ["hi-tech-park"]),
        ("Solar", ["Solar (Dezhou) Town Science Park"]),
        ("nowhere", []),
    ],
)
def test_park_names_complete_in_chinese_and_english(
    store: Store, typed: str, expected: list[str]
) -> None:
    assert values(completion.park_candidates(store, typed)) == expected


def test_a_park_candidate_explains_itself_in_the_other_language(store: Store) -> None:
    assert completion.park_candidates(store, "高新") == [
        ("高新产业园", "High-Tech Industrial Park")
    ]


def test_periods_complete_years_first(store: Store) -> None:
    assert values(completion.period_candidates(store, "")) == ["2021", "2022", "2022-Q1"]
    assert values(completion.period_candidates(store, "2022")) == ["2022", "2022-Q1"]
    assert values(completion.target_year_candidates(store, "")) == ["2022"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("s", ["signed"]),
        ("u", ["under_construction"]),
        ("c", ["construction_started"]),
        ("签", ["签约"]),
        ("施", ["施工"]),
        ("落地", ["落地开工"]),
        (
            "",
            [
                "under_construction",
                "construction_started",
                "signed",
                "existing",
                "in_progress",
                "施工",
                "落地开工",
                "签约",
                "原有",
                "实施",
            ],
        ),
    ],
)
def test_statuses_complete_as_codes_and_as_the_reports_words(
    store: Store, typed: str, expected: list[str]
) -> None:
    assert values(completion.status_candidates(store, typed)) == expected


def test_each_status_word_explains_its_code(store: Store) -> None:
    assert completion.status_candidates(store, "签") == [("签约", "signed")]
    assert completion.status_candidates(store, "sig") == [("signed", "签约")]


def test_industries_categories_and_ids_complete(store: Store) -> None:
    assert values(completion.industry_candidates(store, "电")) == ["电子信息"]
    assert values(completion.category_candidates(store, "")) == [
        "capital_markets",
        "economy",
        "fiscal",
        "industry",
        "investment",
        "trade",
    ]
    assert completion.record_id_candidates(store, "gdp") == [
        ("gdp", "metrics: 地区生产总值"),
        ("gdp@2021", "stats: 地区生产总值"),
    ]


# --- the callbacks read the store the command would read ---------------------------------------


def context(**params: object) -> typer.Context:
    ctx = typer.Context(typer.main.get_command(app))
    ctx.params.update(params)
    return ctx


def store_with_park(tmp_path: Path, facts_db: Path, name: str, file: str) -> Path:
    data = json.loads(facts_db.read_text(encoding="utf-8"))
    data["parks"]["99"] = {
        **data["parks"]["2"],
        "id": "new-park",
        "name_zh": name,
        "name_en": "New Park",
        "aliases": [],
        "parent": None,
    }
    path = tmp_path / file
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_completion_follows_dz_db_and_db(
    tmp_path: Path, facts_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert completion.complete_park(context(), "新") == []
    env_store = store_with_park(tmp_path, facts_db, "新园区", "env.json")
    monkeypatch.setenv("DZ_DB", str(env_store))
    assert completion.complete_park(context(), "新") == [("新园区", "New Park")]
    option_store = store_with_park(tmp_path, facts_db, "新开发区", "option.json")
    assert completion.complete_park(context(db=option_store), "新") == [("新开发区", "New Park")]


def test_an_unreadable_store_completes_nothing_and_says_nothing(tmp_path: Path) -> None:
    assert completion.complete_metric(context(db=tmp_path / "missing.json"), "g") == []
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert completion.complete_metric(context(db=broken), "g") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("dz projects --park 高新", ["高新产业园"]),
        ("dz projects --park High", ["High-Tech Industrial Park"]),
        ("dz stats --metric g", ["gdp", "general_public_budget_revenue", "goods_trade"]),
        ("dz stats 2022", ["2022", "2022-Q1"]),
        ("dz growth fo", ["foreign_capital_actually_used"]),
        ("dz projects --status 签", ["签约"]),
        ("dz targets 20", ["2022"]),
        (
            "dz show hi-tech",
            ["hi-tech-park", "hi-tech-park-infrastructure", "hi-tech-park-site-2022-05-10"],
        ),
        ("dz stats --unit 万", ["万元", "万美元"]),
        ("dz sta", ["stats", "statements"]),
    ],
)
def test_the_shell_gets_these_candidates(line: str, expected: list[str]) -> None:
    """As bash asks: the words so far and the index of the one being completed."""
    words = shlex.split(line)
    result = runner.invoke(
        app,
        [],
        env={
            "_DZ_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        },
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == expected


# --- did you mean ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stat", "2021"], "dz: error: No such command 'stat'. Did you mean 'stats'?\n"),
        (["projets"], "dz: error: No such command 'projets'. Did you mean 'projects'?\n"),
        (
            ["stats", "2021", "--metric", "gpd"],
            "dz: error: no metric matches 'gpd'; did you mean 地区生产总值 (gdp)?\n",
        ),
        (
            ["projects", "--park", "高薪产业园"],
            "dz: error: no park matches '高薪产业园'; did you mean 高新产业园 (hi-tech-park) or "
            "电子信息产业园 (electronic-information-park) or 京鲁数谷产业园 (jinglu-shugu-park)?\n",
        ),
        (
            ["projects", "--status", "sigend"],
            "dz: error: no status matches 'sigend'; did you mean 签约 (signed)?\n",
        ),
        (["stats", "--jsn"], "dz: error: No such option: --jsn (Possible options: --json)\n"),
    ],
)
def test_a_mistyped_command_metric_park_or_option_gets_did_you_mean(
    args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2 if args[0] in ("stat", "projets") or args[-1] == "--jsn" else 1,
        "",
        message,
    )


# --- help ---------------------------------------------------------------------------------------


def examples(command: str) -> list[str]:
    """The example lines of a command's --help, in order."""
    lines = runner.invoke(app, [*command.split(), "--help"]).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line in ("  Examples:", "  Example:")) + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("    dz "):
            break
        found.append(line.strip())
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_help_leads_with_two_examples_of_the_command(command: str) -> None:
    lines = runner.invoke(app, [*command.split(), "--help"]).stdout.splitlines()
    assert lines[0].startswith(f"Usage: dz {command}")
    summary_end = lines.index("", 2)  # the summary is the first paragraph
    assert lines[summary_end + 1] == "  Examples:"
    found = examples(command)
    assert len(found) >= 2
    assert all(example.startswith(f"dz {command}") for example in found)


@pytest.mark.parametrize(
    "example",
    [example for command in COMMANDS if not writes(command) for example in examples(command)],
)
def test_every_help_example_runs(example: str) -> None:
    if "../shared" in example:
        require_sources()  # `dz check --sources ../shared/sources`
    words = shlex.split(example.split(" | ")[0])[1:]
    result = runner.invoke(app, words)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    assert not re.search(r"error", result.stderr)
