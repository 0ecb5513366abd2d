"""`dz people`, `dz statements`, `dz relations`: what the report says beyond numbers."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from dzcli.cli import app

runner = CliRunner()


def rows(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_people_say_whom_they_speak_for() -> None:
    people = {row["id"]: row for row in rows("people")}
    assert people["duan-shugang"]["organisation"] == "weixun-dezhou"
    assert people["duan-shugang"]["name_en"] == "Duan Shugang"
    table = runner.invoke(app, ["people", "--format", "md"]).stdout
    assert "| Duan Shugang | duan-shugang | General manager (总经理) | Qorvo" in table


def test_statements_filter_by_topic_and_plans_are_not_events() -> None:
    plans = rows("statements", "--topic", "plan")
    assert plans and {row["topic"] for row in plans} == {"plan"}
    assert "opening-up-platforms-planned" in {row["id"] for row in plans}
    assert "opening-up-platforms-planned" not in {row["id"] for row in rows("events")}


def test_relations_read_as_parts_of_wholes_in_both_languages() -> None:
    assert len(rows("relations")) == 5
    zh = runner.invoke(app, ["relations", "--format", "md", "--lang", "zh"]).stdout
    assert "京津冀协同发展产业示范区·产业园区:点名2个(高新产业园、电子信息产业园)" in zh
    en = runner.invoke(app, ["relations", "--format", "md"]).stdout
    assert "Amount of services trade filed (2021) is part of Trade in services (2021)" in en
