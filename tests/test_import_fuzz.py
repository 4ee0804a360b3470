"""Files mixing good records with poisoned and mutated ones, in every format, imported and stored
on SQLite and PostgreSQL: every good record is stored exactly as given, every bad record is
reported exactly once with its line, and nothing raises.

"As given" is what the good record gives when imported alone, so the property is isolation: no
neighbour may change, drop or reject it. The mutations are the classes of issue 13 (lone
surrogates, NUL, control characters and bidi overrides in ids; 100,000 levels of nesting; a cell
or id of 270 KB; an unclosed quote; a CSV row with too few cells; bytes that are not UTF-8;
broken JSON) and random single-character edits, which may or may not break a record: such a
record must be either stored or reported once, and must not affect the others.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.imports import import_file, jobposting_write, jsonl, jsonresume_write, tabular
from matcher.profiles import PersonalData
from matcher.store import Store
from profiles_factory import candidates, vacancies

TODAY = date(2026, 12, 1)
FORMATS = {
    "jsonl-vacancies": ("vacancies", "jsonl", ".jsonl"),
    "jsonl-candidates": ("candidates", "jsonl", ".jsonl"),
    "csv-vacancies": ("vacancies", "csv", ".csv"),
    "csv-candidates": ("candidates", "csv", ".csv"),
    "jobposting-lines": ("vacancies", "jobposting", ".jsonl"),
    "jsonresume-lines": ("candidates", "jsonresume", ".jsonl"),
}
JSON_POISON = ["\\ud800", "\\u0000", "\\u0007\\u001b[31m", "\\u202egpj.exe", "\\udfff\\ud800"]
RAW_POISON = ["\x00", "\x07\x1b[31m", "\u202egpj.exe", "\x85x", "\u2066x"]
MUTATIONS = ["poison", "deep", "huge", "broken", "few_cells", "open_quote", "not_utf8", "edit"]
_ids = itertools.count()


@dataclass
class Entry:
    kind: str  # good | bad | edit
    id: str
    text: bytes  # with its line ending; a CSV record may span several lines


def _personal(draw: st.DrawFn, cid: str) -> PersonalData | None:
    name = draw(st.sampled_from([None, "Yusuf Demir", "Chloé Dubois", "Ana-Maria Popescu", "Bram Claes"]))
    return None if name is None else PersonalData(candidate_id=cid, name=name, email=f"{cid}@example.be")


def _csv_row(row: dict[str, str], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n").writerow(row)
    return out.getvalue()


def _good(draw: st.DrawFn, fmt: str, rid: str) -> Entry:
    kind = FORMATS[fmt][0]
    if kind == "vacancies":
        profile = draw(vacancies(rid))
        if fmt == "jsonl-vacancies":
            text = profile.model_dump_json(exclude_none=True) + "\n"
        elif fmt == "csv-vacancies":
            text = _csv_row(tabular.vacancy_row(profile), tabular.VACANCY_COLUMNS)
        else:
            text = json.dumps(jobposting_write.posting(profile), ensure_ascii=False) + "\n"
    else:
        profile = draw(candidates(rid))
        person = _personal(draw, rid)
        if fmt == "jsonl-candidates":
            text = jsonl.candidate_line(profile, person) + "\n"
        elif fmt == "csv-candidates":
            text = _csv_row(tabular.candidate_row(profile, person), tabular.CANDIDATE_COLUMNS)
        else:
            text = json.dumps(jsonresume_write.resume(profile, person, TODAY), ensure_ascii=False) + "\n"
    return Entry("good", rid, text.encode("utf-8"))


def _bad(draw: st.DrawFn, fmt: str, rid: str) -> Entry:
    """A record that must be rejected (or, for ``edit``, may be): built from a good one."""
    good = _good(draw, fmt, rid)
    text = good.text.decode("utf-8")
    is_csv = fmt.startswith("csv")
    mutation = draw(st.sampled_from([m for m in MUTATIONS if is_csv or m not in ("few_cells", "open_quote")]))
    quoted_id = f'"{rid}"'
    if mutation == "poison":
        poison = draw(st.sampled_from(RAW_POISON if is_csv else JSON_POISON))
        text = text.replace(rid, rid + poison, 1) if is_csv else text.replace(quoted_id, f'"{rid}{poison}"', 1)
    elif mutation == "deep":
        if is_csv:  # CSV has no nesting: a runaway line instead, of 270,000 characters in one cell
            text = text.replace(rid, rid + "x" * 270_000, 1)
        else:
            text = '{"id": ' + quoted_id + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    elif mutation == "huge":
        big = rid + "é" * 270_000
        text = text.replace(rid, big, 1) if is_csv else text.replace(quoted_id, f'"{big}"', 1)
    elif mutation == "broken":
        text = text.replace(rid, rid + "\x1b", 1) if is_csv else text[: len(text) // 2] + "\n"
    elif mutation == "few_cells":
        cells = next(csv.reader([text.split("\n")[0]]))
        text = ",".join(cells[:5]) + "\n"
    elif mutation == "open_quote":
        first, rest = text.split(",", 1)
        text = f'{first},"{rest}' if '"' not in rest.split("\n")[0] else f'{first},"x{rest.split(chr(10))[0]}\n'
        text = text.split("\n")[0] + "\n"
    elif mutation == "not_utf8":
        data = text.encode("utf-8")
        cut = data.index(rid.encode()) + len(rid)
        # JSON must be UTF-8, so the line is rejected; a CSV may be cp1252 and be read as such
        return Entry("edit" if is_csv else "bad", rid, data[:cut] + b"\xe9\xff" + data[cut:])
    else:
        return _edit(draw, rid, text)
    return Entry("bad", rid, text.encode("utf-8"))


def _edit(draw: st.DrawFn, rid: str, text: str) -> Entry:
    """One character replaced by a printable one, outside the id and not a line break or quote."""
    start = text.index(rid)
    positions = [i for i in range(len(text) - 1) if not start - 1 <= i <= start + len(rid) and text[i] != "\n"]
    at = draw(st.sampled_from(positions))
    char = draw(st.sampled_from(list("x{}[],:;|<>\\é0 ")))
    return Entry("edit", rid, (text[:at] + char + text[at + 1 :]).encode("utf-8"))


@st.composite
def files(draw: st.DrawFn, fmt: str) -> list[Entry]:
    prefix = f"fz{next(_ids):05d}"
    count = draw(st.integers(min_value=2, max_value=8))
    entries = []
    for n in range(count):
        rid = f"{prefix}-{n:02d}"
        entries.append(_bad(draw, fmt, rid) if draw(st.booleans()) else _good(draw, fmt, rid))
    return entries


def _write(path: Path, fmt: str, entries: list[Entry]) -> dict[int, Entry]:
    """Write the file; the physical line each entry starts on."""
    kind, file_format, _ = FORMATS[fmt]
    header = b""
    if file_format == "csv":
        columns = tabular.VACANCY_COLUMNS if kind == "vacancies" else tabular.CANDIDATE_COLUMNS
        header = (",".join(columns) + "\n").encode()
    line, starts, body = header.count(b"\n") + 1, {}, [header]
    for entry in entries:
        starts[line] = entry
        body.append(entry.text)
        line += entry.text.count(b"\n")
    path.write_bytes(b"".join(body))
    return starts


def _alone(tmp_path: Path, fmt: str, entry: Entry):
    """What a good record gives imported on its own: the oracle of 'as given'."""
    path = tmp_path / f"alone{FORMATS[fmt][2]}"
    _write(path, fmt, [entry])
    result = import_file(path, FORMATS[fmt][0], FORMATS[fmt][1], today=TODAY)
    assert not result.rejections, result.to_text()
    [record] = result.records
    return record, {p.candidate_id: p for p in result.personal}.get(record.id)


def _check(tmp_path: Path, store: Store, fmt: str, entries: list[Entry]) -> None:
    kind, file_format, suffix = FORMATS[fmt]
    path = tmp_path / f"mixed{suffix}"
    starts = _write(path, fmt, entries)
    result = import_file(path, kind, file_format, today=TODAY)
    store.ingest(result, path.name)
    get = store.get_vacancy if kind == "vacancies" else store.get_candidate
    reported: dict[int, set[int]] = {}
    for rejection in result.rejections:
        assert rejection.line is not None, rejection
        reported.setdefault(rejection.line, set()).add(rejection.record)
    stored_ids = {r.id for r in result.records}
    for line, entry in starts.items():
        if entry.kind == "good":
            expected, person = _alone(tmp_path, fmt, entry)
            assert get(entry.id) == expected, f"good record on line {line} not stored as given"
            if kind == "candidates":
                assert store.get_personal(entry.id) == person
            assert line not in reported, f"good record on line {line} was reported: {result.to_text()}"
        elif entry.kind == "bad":
            assert len(reported.get(line, ())) == 1, f"bad record on line {line}: {result.to_text()}"
            assert entry.id not in stored_ids
        else:
            stored = any(i.startswith(entry.id) for i in stored_ids)  # a cp1252 reading may keep extra letters
            assert stored != (len(reported.get(line, ())) == 1), result.to_text()
    assert set(reported) <= set(starts), f"a rejection names a line no record starts on: {result.to_text()}"
    remove = store.delete_vacancy if kind == "vacancies" else store.delete_candidate
    for record in result.records:  # the next example starts from an empty store
        remove(record.id)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_good_records_survive_any_neighbour(fmt: str, store_url: str, tmp_path: Path) -> None:
    store = Store.from_url(store_url)
    store.migrate()

    @given(entries=files(fmt))
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    def run(entries: list[Entry]) -> None:
        _check(tmp_path, store, fmt, entries)

    run()
