"""`dz export sqlite|datapackage|parquet` and `dz import DIR`: nothing lost, every tool opens it."""

from __future__ import annotations

import builtins
import copy
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO, cast

import pytest
from helpers import shipped
from test_fuzz import HOSTILE
from typer.testing import CliRunner

from dzcli.cli import app
from dzcli.export import datapackage, parquet, tabular
from dzcli.model.kinds import KINDS, TABLES

runner = CliRunner()


def next_doc(table: dict[str, Any]) -> str:
    """A document number after every one of `table` (the store's own order is numeric)."""
    return str(max(map(int, table), default=0) + 1)


def with_issue_9_fields() -> dict[str, Any]:
    """The shipped store with every field issue 9 adds filled in on every record: claim ranks
    (a preferred and a deprecated claim), basis, nature, bound, extra quotes, Chinese notes;
    and one more person, statement (with empty texts) and relation whose whole is a figure and
    whose members are a park and an enterprise."""
    data = shipped()
    doc = "dezhou-etdz-2022"
    for table in ("stats", "targets", "parks", "projects", "enterprises", "events"):
        for record in data[table].values():
            record["note_zh"] = "说明 " + str(record.get("name_zh") or record["id"])
            record["quotes"] = [{"doc": doc, "quote": "德州经开区", "supports": "note"}]
            for figure in record.get("figures") or []:
                figure.update(nature="actual", bound=None, note_zh="图注", name_zh_by_dz=False)
    for record in data["stats"].values():
        record.update(basis="real", basis_by="convention", nature="actual", bound=None)
        record.update(claim_rank="normal", rank_reason=None)
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    data["stats"]["900"] = {
        **copy.deepcopy(gdp),
        "id": f"gdp@2021#{doc}-revised",
        "value": 320,
        "base_value": 32_000_000_000,
        "claim_rank": "preferred",
        "source": {"doc": doc, "quote": "地区生产总值"},
    }
    data["stats"]["901"] = {
        **copy.deepcopy(gdp),
        "id": "gdp@2021#old-bulletin",
        "value": 300,
        "base_value": 30_000_000_000,
        "claim_rank": "deprecated",
        "rank_reason": "revised",
    }
    data["people"][next_doc(data["people"])] = {
        "id": "test-person",
        "name_zh": "段树刚",
        "name_en": "Duan Shugang",
        "role": "general manager",
        "role_zh": "总经理",
        "organisation": "weixun-dezhou",
        "note": None,
        "note_zh": None,
        "source": {"doc": doc, "quote": "段树刚"},
        "quotes": [],
    }
    data["statements"][next_doc(data["statements"])] = {
        "id": "test-investment-methods",
        "subject": None,
        "topic": "method",
        "nature": "actual",
        "period": None,
        "text_zh": "招大培强、产业链招商、以企招企",
        "text_en": "Attract the big, supply-chain promotion, firms attracting firms",
        "items_zh": ["招大培强", "产业链招商", ""],
        "items_en": ["attract the big", "supply-chain promotion", "firms attracting firms"],
        "note": "",
        "note_zh": None,
        "source": {"doc": doc, "quote": "以企招企"},
        "quotes": [],
    }
    data["relations"][next_doc(data["relations"])] = {
        "id": "test-two-of-eleven-parks",
        "relation": "named_members",
        "part": None,
        "whole": "jjj-demo-zone#park_count",
        "members": ["hi-tech-park", "weixun-dezhou"],
        "members_zh": ["高新产业园"],
        "members_en": ["Hi-tech park"],
        "note": None,
        "note_zh": None,
        "source": {"doc": doc, "quote": "11个产业园区"},
        "quotes": [],
    }
    return data


def hostile() -> dict[str, Any]:
    """The filled store with the suite's hostile strings (and commas, quotes, CR/LF) in names,
    notes, quotes, aliases and figures of every kind."""
    data = with_issue_9_fields()
    texts = [*HOSTILE, 'a,b "c"\r\nd\ne', "\x00nul", "\u2028line separator"]
    i = 0
    for table in TABLES:
        for record in data[table].values():
            text = texts[i % len(texts)]
            i += 1
            if "note" in record:
                record["note"] = text
            record["source"]["quote"] = text
            if "name_en" in record:
                record["name_en"] = texts[(i + 3) % len(texts)]
            for alias_list in ("aliases",):
                if alias_list in record:
                    record[alias_list] = [*record[alias_list], text]
            for figure in record.get("figures") or []:
                figure["note"] = texts[(i + 7) % len(texts)]
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def cli_json(*args: str, db: Path) -> Any:
    return json.loads(run(*args, "--json", "--db", str(db)))


STORES = {"shipped": shipped, "filled": with_issue_9_fields}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write(tmp_path / f"{request.param}.json", STORES[request.param]())


def export_sqlite(store: Path, tmp_path: Path) -> sqlite3.Connection:
    out = tmp_path / "out.db"
    run("export", "sqlite", str(out), "--db", str(store))
    return sqlite3.connect(out)


def count(data: dict[str, Any], table: str) -> int:
    return len(data[table])


# --- SQLite ---------------------------------------------------------------------------------


def test_sqlite_is_sound_and_holds_every_record_and_quote(store: Path, tmp_path: Path) -> None:
    data = json.loads(store.read_text(encoding="utf-8"))
    db = export_sqlite(store, tmp_path)
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in TABLES:
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == count(data, table)
    quotes = {row[0] for row in db.execute("select quote from quotes")}
    expected = set()
    for table in TABLES:
        for record in data[table].values():
            expected.add(record["source"]["quote"])
            expected.update(q["quote"] for q in record.get("quotes") or [])
            expected.update(f["source"]["quote"] for f in record.get("figures") or [])
    assert quotes == expected
    total = sum(
        1 + len(r.get("quotes") or []) + len(r.get("figures") or [])
        for t in TABLES
        for r in data[t].values()
    )
    assert db.execute("select count(*) from quotes").fetchone()[0] == total


def test_every_reference_is_a_declared_foreign_key(tmp_path: Path, store: Path) -> None:
    db = export_sqlite(store, tmp_path)
    keys = {
        (table, row[3], row[2])
        for (table,) in db.execute("select name from sqlite_master where type = 'table'")
        for row in db.execute(f"PRAGMA foreign_key_list('{table}')")
    }
    for pair in [
        ("stats", "metric", "metrics"),
        ("stats", "share_of", "metrics"),
        ("targets", "metric", "metrics"),
        ("projects", "park", "parks"),
        ("projects", "enterprise", "enterprises"),
        ("enterprises", "park", "parks"),
        ("parks", "parent", "parks"),
        ("stat_quotes", "doc", "sources"),
        ("park_figure_quotes", "doc", "sources"),
        ("park_figures", "park_id", "parks"),
        ("relation_members", "value", "anchors"),
        ("event_refs", "value", "anchors"),
    ]:
        assert pair in keys


def search(db: sqlite3.Connection, where: str, text: str) -> set[tuple[str, str]]:
    return {
        (row[0], row[1])
        for row in db.execute(f"select kind_table, record_id from search where {where}", (text,))
    }


def test_full_text_finds_chinese_substrings_and_english_words(store: Path, tmp_path: Path) -> None:
    db = export_sqlite(store, tmp_path)
    # Two characters: below the trigram's reach for MATCH; instr (a scan) answers.
    weixun = search(db, "instr(text, ?) > 0", "威讯")
    assert ("enterprises", "weixun-dezhou") in weixun
    assert ("projects", "weixun-semiconductor") in weixun
    assert search(db, "text MATCH ?", "威讯") == set()
    # Three characters inside a longer word (联合半导体): trigram MATCH finds it.
    assert ("enterprises", "weixun-dezhou") in search(db, "text MATCH ?", "联合半")
    # An English word inside a name, in any case.
    found = search(db, "text MATCH ?", "WAFERS")
    assert found == {("projects", "youyan-12-inch-wafers"), ("projects", "youyan-8-inch-wafers")}


def test_views_answer_as_the_commands_do(store: Path, tmp_path: Path) -> None:
    db = export_sqlite(store, tmp_path)
    db.row_factory = sqlite3.Row
    for period in ("2021", "2022"):
        shown = cli_json("stats", period, db=store)
        rows = db.execute(
            "select * from preferred_claims where substr(period, 1, 4) = ?", (period,)
        ).fetchall()
        view = {(r["id"], r["value"], r["metric_name_en"]) for r in rows}
        assert view == {(s["id"], s["value"], s["name_en"]) for s in shown}
        assert len(rows) == len(shown)
    projects = cli_json("projects", db=store)
    view = {(r["id"], r["park_name_zh"]) for r in db.execute("select * from projects_with_parks")}
    assert view == {(p["id"], p["park_name_zh"]) for p in projects}
    targets = cli_json("targets", db=store)
    view = {
        (r["id"], r["actual_id"], r["actual_value"])
        for r in db.execute("select * from targets_with_actuals")
    }
    assert view == {
        (t["id"], (t["actual"] or {}).get("id"), (t["actual"] or {}).get("value")) for t in targets
    }


def test_the_filled_store_view_shows_the_preferred_claim(tmp_path: Path) -> None:
    store = write(tmp_path / "filled.json", with_issue_9_fields())
    db = export_sqlite(store, tmp_path)
    found = db.execute("select id, value from preferred_claims where metric = 'gdp'").fetchall()
    assert found == [("gdp@2021#dezhou-etdz-2022-revised", 320.0)]


def test_without_a_preferred_claim_the_first_normal_one_in_store_order_answers(
    tmp_path: Path,
) -> None:
    """Store order is the document numbers' order (99 before 100), not their text's; a
    deprecated claim never answers, even when it comes first."""
    data = shipped()
    gdp = next(r for r in data["stats"].values() if r["id"] == "gdp@2021")
    claims = {
        "98": ("gdp@2020#deprecated", "deprecated"),
        "100": ("gdp@2020#later", "normal"),
        "99": ("gdp@2020#first", "normal"),
    }
    for doc_id, (claim_id, rank) in claims.items():
        data["stats"][doc_id] = {**gdp, "id": claim_id, "period": "2020", "claim_rank": rank}
    store = write(tmp_path / "normal.json", data)
    db = export_sqlite(store, tmp_path)
    found = db.execute("select id from preferred_claims where period = '2020'").fetchall()
    assert found == [("gdp@2020#first",)]
    assert [s["id"] for s in cli_json("stats", "2020", db=store)] == ["gdp@2020#first"]


def test_metadata_table_and_datasette_file(store: Path, tmp_path: Path) -> None:
    import hashlib

    db = export_sqlite(store, tmp_path)
    about = dict(db.execute("select key, value from dz_export").fetchall())
    assert about["store_sha256"] == hashlib.sha256(store.read_bytes()).hexdigest()
    assert about["last_log_entry"] == "none"
    meta = json.loads((tmp_path / "out.metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["out"]["tables"]
    names = {row[0] for row in db.execute("select name from sqlite_master where type='table'")}
    names |= {row[0] for row in db.execute("select name from sqlite_master where type='view'")}
    assert {"stats_with_quotes", "preferred_claims", "quotes"} <= names
    for name in names:
        if name.startswith("search_"):
            continue  # FTS5's own shadow tables
        assert tables[name]["description"]
        columns = [row[1] for row in db.execute(f"PRAGMA table_info('{name}')")]
        assert list(tables[name]["columns"]) == columns, name
        assert all(tables[name]["columns"].values()), name
    assert tables["stats"]["units"]["yoy_pct"] == "percent"
    assert tables["preferred_claims"]["units"]["yoy_pct"] == "percent"
    assert meta["license"] and meta["source"]


# --- Datasette, as its users see it --------------------------------------------------------


def datasette_metadata(tmp_path: Path, name: str = "out") -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((tmp_path / f"{name}.metadata.json").read_text("utf-8"))
    return meta


def columns_of(db: sqlite3.Connection, name: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info('{name}')")]


def css_rules(meta: dict[str, Any]) -> dict[str, str]:
    """Each selector of the metadata's stylesheet (a data: URL), and its declarations."""
    from urllib.parse import unquote

    (url,) = meta["extra_css_urls"]
    assert url.startswith("data:text/css,")
    rules: dict[str, str] = {}
    for block in unquote(url.removeprefix("data:text/css,")).split("}"):
        if "{" in block:
            selectors, declarations = block.split("{")
            for selector in selectors.split(","):
                rules[selector.strip()] = declarations.strip()
    return rules


def test_datasette_rows_show_names_for_every_reference_to_a_named_record(
    store: Path, tmp_path: Path
) -> None:
    """Datasette shows a reference as its target's `label_column`: every table a single-column
    key points to that has names is labelled by its English name, so a stat shows its
    metric's name, a project its park's and enterprise's, a quote its source's."""
    db = export_sqlite(store, tmp_path)
    tables = datasette_metadata(tmp_path)["databases"]["out"]["tables"]
    targets = set()
    for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
        keys: dict[int, list[str]] = {}
        for row in db.execute(f"PRAGMA foreign_key_list('{table}')"):
            keys.setdefault(row[0], []).append(row[2])
        targets |= {target for (target, *more) in keys.values() if not more}
    named = {t for t in targets if "name_en" in columns_of(db, t)}
    assert {"metrics", "parks", "enterprises", "sources"} <= named
    for target in named:
        assert tables[target]["label_column"] == "name_en", target
    for name in ("metrics", "parks", "projects", "enterprises", "events", "sources", "people"):
        assert tables[name]["label_column"] == "name_en"
    assert "label_column" not in tables["stats"]  # no names: Datasette shows the id


def test_datasette_opens_tables_on_facets_of_their_groups(store: Path, tmp_path: Path) -> None:
    db = export_sqlite(store, tmp_path)
    tables = datasette_metadata(tmp_path)["databases"]["out"]["tables"]
    assert tables["stats"]["facets"] == ["period", "claim_rank", "nature"]
    assert tables["metrics"]["facets"] == ["category"]
    assert tables["projects"]["facets"] == ["park", "status", "industry"]
    assert tables["preferred_claims"]["facets"] == ["period", "category", "claim_rank"]
    for name, entry in tables.items():
        for facet in entry.get("facets", []):
            assert facet in columns_of(db, name), (name, facet)
        if "facets" in entry:  # a few values each, so the rows stay on the first screen
            assert 1 <= len(entry["facets"]) <= 3 and entry["facet_size"] <= 5


def test_datasette_hides_the_columns_kept_for_import_but_the_file_keeps_them(
    store: Path, tmp_path: Path
) -> None:
    import re

    db = export_sqlite(store, tmp_path)
    meta = datasette_metadata(tmp_path)
    rules = css_rules(meta)
    for column in ("doc_id", "dz_absent", "dz_blank"):
        # Datasette's class for a column is its name only while the name is a plain CSS
        # class (datasette.utils.to_css_class); otherwise it adds a hash and this misses.
        assert re.fullmatch(r"[a-zA-Z]+[_a-zA-Z0-9-]*", column)
        for page in ("table", "row"):  # a table's (or view's) page and a row's page
            assert rules[f"body.{page} .col-{column}"] == "display: none;"
        assert column in columns_of(db, "stats")  # dz import needs them
        assert column in meta["databases"]["out"]["tables"]["stats"]["columns"]
    # A query's page shows whatever the query selects.
    assert not any(selector.startswith("body.query") for selector in rules)
    # The list of column descriptions that Datasette puts before the rows is hidden; each
    # description stays in the metadata, for the column's menu.
    assert rules["body.table dl.column-descriptions"] == "display: none;"
    assert rules["body.table td.col-note"].startswith("min-width")


def test_views_open_on_names_and_the_source_and_end_on_notes(store: Path, tmp_path: Path) -> None:
    data = json.loads(store.read_text(encoding="utf-8"))
    db = export_sqlite(store, tmp_path)
    db.row_factory = sqlite3.Row
    for view in ("stats_with_quotes", "preferred_claims", "projects_with_parks"):
        columns = columns_of(db, view)
        assert not {"doc_id", "dz_absent", "dz_blank"} & set(columns), view
        assert columns[-2:] == ["note", "note_zh"], view
        assert columns.index("source_quote") < 8, view  # on the first screen
    assert columns_of(db, "targets_with_actuals")[-2:] == ["note", "note_zh"]
    assert columns_of(db, "stats_with_quotes")[:3] == ["id", "metric_name_zh", "metric_name_en"]
    # One row per stat, whatever further quotes it has (the filled store gives each one).
    rows = {r["id"]: r for r in db.execute("select * from stats_with_quotes")}
    assert len(rows) == len(data["stats"])
    metrics = {m["id"]: m for m in data["metrics"].values()}
    for stat in data["stats"].values():
        row = rows[stat["id"]]
        assert row["metric_name_zh"] == metrics[stat["metric"]]["name_zh"]
        assert row["metric_name_en"] == metrics[stat["metric"]]["name_en"]
        assert row["source_quote"] == stat["source"]["quote"]
        assert (row["value"], row["note"]) == (stat["value"], stat["note"])
    enterprises = {e["id"]: e["name_en"] for e in data["enterprises"].values()}
    for row in db.execute("select * from projects_with_parks where enterprise is not null"):
        assert row["enterprise_name_en"] == enterprises[row["enterprise"]]
    assert db.execute("select count(*) from projects_with_parks").fetchone()[0] == len(
        data["projects"]
    )


def test_a_table_page_opens_on_its_rows(store: Path, tmp_path: Path) -> None:
    """What Datasette puts above the rows is short: a description of two lines at most (at
    1280 pixels), the stats table pointing to the view with names and quotes."""
    export_sqlite(store, tmp_path)
    tables = datasette_metadata(tmp_path)["databases"]["out"]["tables"]
    for name, entry in tables.items():
        assert len(entry["description"]) <= 300, name
    assert "stats_with_quotes view" in tables["stats"]["description"]


def test_the_database_page_links_to_where_to_start(tmp_path: Path, facts_db: Path) -> None:
    """Links relative to the database's page, whose address Datasette tilde-encodes."""
    import re

    out = tmp_path / "dz facts.v2.db"
    run("export", "sqlite", str(out))
    meta = datasette_metadata(tmp_path, "dz facts.v2")
    database = meta["databases"]["dz facts.v2"]
    db = sqlite3.connect(out)
    names = {row[0] for row in db.execute("select name from sqlite_master")}
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', database["description_html"])
    assert len(links) == 6
    for href, name in links:
        assert href == f"dz+facts~2Ev2/{name}"
        assert name in names or name in database["queries"]
    assert "<" not in database["description"]


def find_text(db: sqlite3.Connection, meta: dict[str, Any], text: str) -> set[tuple[str, str]]:
    sql = meta["databases"]["out"]["queries"]["find_text"]["sql"]
    return {(row[0], row[1]) for row in db.execute(sql, {"text": text})}


def test_find_text_finds_a_text_of_any_length(store: Path, tmp_path: Path) -> None:
    db = export_sqlite(store, tmp_path)
    meta = datasette_metadata(tmp_path)
    assert find_text(db, meta, "威讯") == search(db, "instr(text, ?) > 0", "威讯")
    assert ("projects", "weixun-semiconductor") in find_text(db, meta, "威讯")
    assert find_text(db, meta, "联合半") == search(db, "text MATCH ?", "联合半")
    assert find_text(db, meta, "WAFERS") == {
        ("projects", "youyan-12-inch-wafers"),
        ("projects", "youyan-8-inch-wafers"),
    }
    assert find_text(db, meta, "") == set()
    # Quotes and FTS5 operators are words to find, not syntax.
    assert find_text(db, meta, 'a "b" OR c*') == set()


def test_the_search_hint_says_what_works(store: Path, tmp_path: Path) -> None:
    """Each expression the search table's description gives does what it says on the SQLite
    dz runs on: instr and MATCH find, and LIKE finds nothing before SQLite 3.42."""
    import re

    db = export_sqlite(store, tmp_path)
    hint = datasette_metadata(tmp_path)["databases"]["out"]["tables"]["search"]["description"]
    expressions = re.findall(r"`([^`]+)`", hint)
    assert len(expressions) == 3
    instr = search(db, "instr(text, ?) > 0", "威讯")
    for expression in expressions:
        found = {
            (row[0], row[1])
            for row in db.execute(f"select kind_table, record_id from search where {expression}")
        }
        if expression.startswith("instr"):
            assert found == instr != set()
        elif "MATCH" in expression:
            assert ("enterprises", "weixun-dezhou") in found
        else:
            assert expression == "text LIKE '%威讯%'"
            assert found == (set() if sqlite3.sqlite_version_info < (3, 42) else instr)
    assert "find_text" in hint


def test_the_export_records_the_stores_last_change(tmp_path: Path) -> None:
    data = shipped()
    changes = [
        {
            "id": f"log:{n}",
            "time": f"2024-01-0{n}T00:00:00Z",
            "command": f"dz add park {n}",
            "added": [f"park-{n}"],
            "changed": [],
            "retracted": [],
            "doc": None,
            "previous": [],
        }
        for n in (1, 2)
    ]
    data["log"] = {"1": changes[0], "2": changes[1]}
    store = write(tmp_path / "logged.json", data)
    db = export_sqlite(store, tmp_path)
    (last,) = db.execute("select value from dz_export where key = 'last_log_entry'").fetchone()
    assert json.loads(last) == changes[1]
    assert db.execute("select value from change_added").fetchall() == [("park-1",), ("park-2",)]


def test_same_store_same_rows(tmp_path: Path) -> None:
    store = write(tmp_path / "s.json", with_issue_9_fields())
    dumps = []
    for name in ("a.db", "b.db"):
        run("export", "sqlite", str(tmp_path / name), "--db", str(store))
        dumps.append("\n".join(sqlite3.connect(tmp_path / name).iterdump()))
    assert dumps[0] == dumps[1]


# --- targets, refusals, no change to the store ----------------------------------------------


def test_an_existing_target_is_refused_without_force(tmp_path: Path, facts_db: Path) -> None:
    before = facts_db.read_bytes(), facts_db.stat().st_mtime_ns
    for kind, target in (("sqlite", "x.db"), ("datapackage", "pkg"), ("parquet", "pq")):
        out = tmp_path / target
        run("export", kind, str(out))
        result = runner.invoke(app, ["export", kind, str(out)])
        assert result.exit_code == 1
        assert result.stderr == f"dz: error: {out} exists; use --force to replace it\n"
        run("export", kind, str(out), "--force")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "pq", "x.db", "x.metadata.json"]
    assert (facts_db.read_bytes(), facts_db.stat().st_mtime_ns) == before


def test_a_dangling_reference_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    data = with_issue_9_fields()
    data["relations"]["1"]["members"].append("no-such-record")
    store = write(tmp_path / "bad.json", data)
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["export", "sqlite", str(out / "x.db"), "--db", str(store)])
    assert result.exit_code == 1
    assert "'no-such-record', which is not in the store" in result.stderr
    assert list(out.iterdir()) == []


def test_an_unknown_field_is_refused_rather_than_lost(tmp_path: Path) -> None:
    data = shipped()
    data["parks"]["1"]["surprise"] = 1
    store = write(tmp_path / "odd.json", data)
    result = runner.invoke(app, ["export", "datapackage", str(tmp_path / "p"), "--db", str(store)])
    assert result.exit_code == 1
    assert "field 'surprise' is not one dz knows" in result.stderr
    assert not (tmp_path / "p").exists()


def test_parquet_without_pyarrow_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == "pyarrow":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = runner.invoke(app, ["export", "parquet", str(tmp_path / "pq")])
    assert result.exit_code == 1
    assert result.stderr == f"dz: error: {parquet.INSTALL}\n"
    # `pip install 'dz[parquet]'` from PyPI would install another project named dz.
    assert "pip install pyarrow" in result.stderr and "dz[" not in result.stderr
    assert not (tmp_path / "pq").exists()


def test_the_schema_follows_the_registry() -> None:
    tables = {table.name: table for table in tabular.schema()}
    for kind in KINDS:
        columns = tables[kind.table].column_names
        for field, type_ in kind.fields.items():
            if type_.fields is None and type_.items is None:
                assert field in columns
            elif field not in ("source", "quotes"):
                assert f"{kind.name}_{field}" in tables


# --- data package and import ----------------------------------------------------------------


@pytest.mark.parametrize("make", [shipped, with_issue_9_fields, hostile])
def test_datapackage_round_trips_record_for_record(tmp_path: Path, make: Any) -> None:
    data = make()
    store = write(tmp_path / "s.json", data)
    run("export", "datapackage", str(tmp_path / "pkg"), "--db", str(store))
    back = datapackage.read(tmp_path / "pkg")
    assert back == data
    # As `dz import DIR --to STORE` writes it: a store dz opens, answering as the original.
    copy = write(tmp_path / "back.json", back)
    for command in (["stats", "2021"], ["projects"], ["targets"], ["events"]):
        assert cli_json(*command, db=copy) == cli_json(*command, db=store)
    # And through the command itself: `dz import DIR --to STORE` gives the original back.
    run("import", str(tmp_path / "pkg"), "--to", str(tmp_path / "imported.json"))
    assert json.loads((tmp_path / "imported.json").read_text(encoding="utf-8")) == data


@pytest.mark.slow
def test_datapackage_passes_frictionless_validate(tmp_path: Path) -> None:
    store = write(tmp_path / "s.json", hostile())
    run("export", "datapackage", str(tmp_path / "pkg"), "--db", str(store))
    frictionless = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(frictionless), "validate", "--json", str(tmp_path / "pkg" / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stdout)
    assert report["valid"], json.dumps(report["tasks"], ensure_ascii=False)[:2000]
    assert done.returncode == 0
    package = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    stats = next(r for r in package["resources"] if r["name"] == "stats")
    fields = {f["name"]: f for f in stats["schema"]["fields"]}
    assert fields["value"]["dz:unitField"] == "unit"
    assert fields["yoy_pct"]["dz:unit"] == "percent"
    assert {"fields": ["metric"], "reference": {"resource": "metrics", "fields": ["id"]}} in (
        stats["schema"]["foreignKeys"]
    )


def test_csv_is_rfc_4180(tmp_path: Path) -> None:
    store = write(tmp_path / "s.json", hostile())
    run("export", "datapackage", str(tmp_path / "pkg"), "--db", str(store))
    raw = (tmp_path / "pkg" / "stats.csv").read_bytes()
    assert raw.startswith(b"doc_id,id,metric,area,period,value,") and raw.endswith(b"\r\n")
    raw.decode("utf-8")


# --- Parquet --------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [shipped, with_issue_9_fields, hostile])
def test_parquet_reads_back_as_the_store(tmp_path: Path, make: Any) -> None:
    import pyarrow.parquet as pq

    data = make()
    store = write(tmp_path / "s.json", data)
    run("export", "parquet", str(tmp_path / "pq"), "--db", str(store))
    assert parquet.read(tmp_path / "pq") == data
    stats = pq.read_table(tmp_path / "pq" / "stats.parquet")
    assert str(stats.schema.field("value").type) == "double"
    assert str(stats.schema.field("period").type) == "string"
    assert stats.num_rows == len(data["stats"])


def test_hostile_text_is_unchanged_in_sqlite(tmp_path: Path) -> None:
    data = hostile()
    store = write(tmp_path / "s.json", data)
    db = export_sqlite(store, tmp_path)
    notes = {row[0]: row[1] for row in db.execute("select id, note from parks")}
    assert notes == {r["id"]: r["note"] for r in data["parks"].values()}
    quotes = {row[0] for row in db.execute("select quote from quotes")}
    assert {r["source"]["quote"] for t in TABLES for r in data[t].values()} <= quotes


def test_integers_beyond_what_sqlite_and_parquet_hold_are_kept_as_numbers(tmp_path: Path) -> None:
    """SQLite's INTEGER stops at 64 bits and a double is exact to 2**53: such a value becomes a
    REAL (a double in Parquet) instead of failing, and the data package keeps every digit."""
    import pyarrow.parquet as pq

    data = shipped()
    stats = data["stats"]
    gdp = next(r for r in stats.values() if r["id"] == "gdp@2021")
    huge, odd = 2**70, 2**53 + 1
    gdp["base_value"] = huge
    stats[next_doc(stats)] = {**gdp, "id": "gdp@2019", "period": "2019", "base_value": odd}
    store = write(tmp_path / "big.json", data)
    db = export_sqlite(store, tmp_path)
    found = dict(db.execute("select id, base_value from stats where metric = 'gdp'").fetchall())
    assert found == {"gdp@2021": float(huge), "gdp@2019": float(odd)}
    run("export", "parquet", str(tmp_path / "pq"), "--db", str(store))
    column = pq.read_table(tmp_path / "pq" / "stats.parquet").column("base_value").to_pylist()
    assert float(huge) in column and float(odd) in column
    run("export", "datapackage", str(tmp_path / "pkg"), "--db", str(store))
    assert datapackage.read(tmp_path / "pkg") == data


class FakeTerminal:
    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal
        self.written: list[str] = []

    def isatty(self) -> bool:
        return self.terminal

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_shows_only_on_a_terminal_and_only_after_a_second(
    terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:

    from dzcli.export import files

    now = [100.0]
    monkeypatch.setattr(files.time, "monotonic", lambda: now[0])
    stream = FakeTerminal(terminal)
    progress = files.Progress("sqlite", stream=cast(TextIO, stream))
    progress("stats", 5000)
    assert stream.written == []  # within the first second
    now[0] += 1.5
    progress("stats", 250_000)
    progress.done()
    if terminal:
        assert stream.written == [
            "\r\x1b[Kdz: exporting sqlite: stats, 250,000 rows",
            "\r\x1b[K",
        ]
    else:
        assert stream.written == []
