"""Files read bounded and as UTF-8 text, JSON within limits, messages of one short line."""

from __future__ import annotations

import codecs
import errno
import os
import stat

import pandas as pd
import pytest

from medspa_kit.errors import PARTIAL_OUTPUTS, STOP_REQUESTED, STOPS_HELD, FileError, ScenarioError, shortened
from medspa_kit.files import (JSON_MAX_DEPTH, atomic_output, decode, forget_partial, json_depth, load_json, make_beside,
                              read_text_file, refuse_same_file, remove_partial, same_file, spreadsheet_safe,
                              stops_held, write_text_file)


def test_a_regular_utf8_file_is_read_and_a_bom_dropped(tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(codecs.BOM_UTF8 + '{"a": "é"}'.encode())
    assert read_text_file(path) == '{"a": "é"}'


@pytest.mark.parametrize("name", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_at_once(name):
    if not os.path.exists(name):
        pytest.skip(f"{name} does not exist here")
    with pytest.raises(FileError, match=rf"^file: '{name}' is not a regular file$"):
        read_text_file(name)


def test_a_folder_and_a_pipe_are_refused_without_waiting(tmp_path):
    with pytest.raises(FileError, match="is not a regular file"):
        read_text_file(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening a pipe for reading would wait for a writer: it is opened without waiting
    with pytest.raises(FileError, match="pipe' is not a regular file"):
        read_text_file(fifo)


def test_a_missing_or_too_large_file_is_named(tmp_path):
    with pytest.raises(FileError, match=r"^file: cannot read '.*nothing.json': No such file or directory$"):
        read_text_file(tmp_path / "nothing.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 1001)
    with pytest.raises(FileError, match=r"big.json' is larger than 1,000 bytes$"):
        read_text_file(big, limit=1000)
    assert read_text_file(big, limit=1001) == " " * 1001


@pytest.mark.parametrize("data,what", [
    ('{"a": 1}'.encode("utf-16"), r"\(UTF-16\)"),                      # Excel's "Unicode text": a BOM
    ('{"a": 1}'.encode("utf-16-le"), r"\(UTF-16: NUL bytes from line 1\)"),  # no BOM: a NUL after each letter
    ('{"a": 1}'.encode("utf-32"), r"\(UTF-32\)"),
    ('{"a": "Müller"}'.encode("latin-1"), r"\(byte 0xFC on line 1: Latin-1 or Windows-1252\?\)"),
    (b'{\n"a":\n"\x81"}', r"\(byte 0x81 on line 3: binary data\?\)"),  # 0x81 is no Windows-1252 letter
])
def test_text_that_is_not_utf8_is_refused_naming_the_file_and_the_encoding(data, what):
    with pytest.raises(FileError, match=rf"^file: 'x.json' is not UTF-8 text {what}; save it as UTF-8$"):
        decode(data, "x.json")


def test_json_nested_too_deeply_is_one_clear_error():
    text = "[" * 1000 + "]" * 1000  # 1,000 levels: json.loads alone raises RecursionError
    with pytest.raises(FileError, match=r"^scenario: not valid JSON: nested too deeply \(more than 32 levels\)$"):
        load_json(text)
    assert json_depth('{"a": [1, {"b": "[[[["}]}') == 3  # brackets inside strings do not count
    ok = "[" * JSON_MAX_DEPTH + "]" * JSON_MAX_DEPTH
    assert load_json(ok) is not None


def test_a_key_given_twice_is_refused_naming_the_key():
    with pytest.raises(FileError, match=r"^scenario: not valid JSON: the key 'deductible' is given twice in one object$"):
        load_json('{"plan": {"deductible": 100, "coinsurance": 0.2, "deductible": 900}}')
    assert load_json('{"a": {"k": 1}, "b": {"k": 2}}') == {"a": {"k": 1}, "b": {"k": 2}}  # once per object


def test_json_too_long_or_broken_is_named():
    with pytest.raises(FileError, match=r"not valid JSON: more than 1 MB$"):
        load_json(" " * 1_000_001)
    with pytest.raises(FileError, match=r"^scenario: not valid JSON: Expecting ',' delimiter \(line 2, column 2\)$"):
        load_json('{"a": 1\n "b": 2}')


def test_a_huge_value_is_shortened_in_the_message():
    value = "x" * 50_000_000
    err = ScenarioError.one("service.code", f"{value!r} is not a service in the catalog")
    text = str(err)
    assert len(text) < 600
    assert text.startswith("service.code: 'xxxx") and text.endswith("x' is not a service in the catalog")
    assert "characters left out" in text
    assert shortened("short") == "short"


def test_the_same_file_by_path_symlink_or_hard_link(tmp_path):
    data = tmp_path / "in.csv"
    data.write_text("a\n", encoding="utf-8")
    (tmp_path / "soft.csv").symlink_to(data)
    os.link(data, tmp_path / "hard.csv")
    (tmp_path / "other.csv").write_text("a\n", encoding="utf-8")
    assert same_file(data, tmp_path / "soft.csv") and same_file(data, tmp_path / "hard.csv")
    assert same_file(data, tmp_path / "." / "in.csv")
    assert not same_file(data, tmp_path / "other.csv") and not same_file(data, tmp_path / "new.csv")
    with pytest.raises(FileError, match=r"^--output: '.*hard.csv' is the input file; write to another file$"):
        refuse_same_file(tmp_path / "hard.csv", [data])


def test_an_output_appears_whole_with_the_usual_mode_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_output(target) as temp:
        assert temp.parent == tmp_path and temp.name.startswith(".out.txt.")
        temp.write_text("done\n", encoding="utf-8")
        assert not target.exists()  # nothing under the real name until the end
    assert target.read_text(encoding="utf-8") == "done\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError, OSError(errno.ENOSPC, "No space left on device")])
def test_an_error_or_ctrl_c_leaves_the_earlier_file_and_no_temporary_one(tmp_path, failure):
    target = tmp_path / "out.txt"
    target.write_text("earlier\n", encoding="utf-8")
    expected = FileError if isinstance(failure, OSError) else failure
    with pytest.raises(expected) as caught:
        with atomic_output(target) as temp:
            temp.write_text("half", encoding="utf-8")
            raise failure
    if expected is FileError:
        assert str(caught.value) == f"--output: cannot write '{target}': No space left on device"
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("folder", [False, True])
def test_a_temporary_output_is_named_for_removal_before_it_exists(tmp_path, monkeypatch, folder):
    # a signal inside os.open/os.mkdir (the file or folder made, its path not yet returned) must
    # still leave the caller, and a command that ends at once, the name to remove
    target = tmp_path / "OUT.parquet"
    made_by_os = os.mkdir if folder else os.open

    def made_then_interrupted(path, *args, **kwargs):
        made_by_os(path, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir" if folder else "open", made_then_interrupted)
    made: list = []
    with pytest.raises(KeyboardInterrupt):
        make_beside(target, made, folder=folder)
    monkeypatch.undo()
    assert len(made) == 1 and made[0].exists() and made[0].is_dir() == folder
    assert made[0].name.startswith(".OUT.parquet.") and made[0].name.endswith(".part")
    assert str(made[0]) in PARTIAL_OUTPUTS
    remove_partial(made)
    forget_partial(made)
    assert list(tmp_path.iterdir()) == [] and str(made[0]) not in PARTIAL_OUTPUTS


def test_a_temporary_name_already_taken_is_never_ours(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    (tmp_path / ".out.csv.aaaaaaaaaaaa.part").write_text("another's", encoding="utf-8")
    names = iter(["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr("medspa_kit.files.secrets.token_hex", lambda n: next(names))
    made: list = []
    assert make_beside(target, made) == tmp_path / ".out.csv.bbbbbbbbbbbb.part"
    assert made == [tmp_path / ".out.csv.bbbbbbbbbbbb.part"]
    remove_partial(made)
    forget_partial(made)
    assert [p.name for p in tmp_path.iterdir()] == [".out.csv.aaaaaaaaaaaa.part"]  # (left as it was)
    assert not PARTIAL_OUTPUTS


def test_a_stop_asked_for_in_a_held_block_is_raised_as_the_block_ends():
    finished = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with stops_held():
                assert STOPS_HELD  # (the command line's handler records a stop now, and raises nothing)
                STOP_REQUESTED.append(KeyboardInterrupt)
                finished.append("the block ran to its end")
        assert finished and not STOPS_HELD
    finally:
        STOP_REQUESTED.clear()
    with stops_held():  # no stop asked for: nothing raised
        pass


def test_an_output_that_cannot_be_made_is_one_line(tmp_path):
    with pytest.raises(FileError, match=r"^--output: cannot write '.*missing/out.csv': No such file or directory$"):
        with atomic_output(tmp_path / "missing" / "out.csv"):
            pass
    with pytest.raises(FileError, match=r"^--output: cannot write '/dev/full': it is not a regular file$"):
        with atomic_output("/dev/full"):
            pass
    with pytest.raises(FileError, match=r"^file: cannot write '.*': it is not a regular file$"):
        write_text_file(tmp_path, "x", field="file")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_symbolic_link_is_written_through(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(real)
    write_text_file(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_text_a_spreadsheet_would_run_gets_a_quote_and_numbers_stay_numbers():
    frame = pd.DataFrame({
        "note": ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx",
                 "-5", "+1e3", "-$1,100.50", "ok", None, "a=b"],
        "amount": [-1.0, -2.5, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12],
        "=label": ["x"] * 12,
    }, index=[f"r{i}" for i in range(11)] + ["-row"])
    frame["note"] = frame["note"].astype("str")  # text as a CSV reader gives it
    safe = spreadsheet_safe(frame)
    assert safe["note"].tolist()[:6] == ["'=HYPERLINK(\"http://x\")", "'+cmd|' /C calc'!A0", "'-2+3", "'@SUM(A1)",
                                         "'\tx", "'\rx"]
    assert safe["note"].tolist()[6:10] == ["-5", "+1e3", "-$1,100.50", "ok"]  # numbers as text stay as they are
    assert pd.isna(safe["note"].iat[10]) and safe["note"].iat[11] == "a=b"
    assert safe["amount"].tolist() == frame["amount"].tolist() and safe["amount"].dtype == float
    assert list(safe.columns) == ["note", "amount", "'=label"] and safe.index[-1] == "'-row"
    assert frame["note"].iat[0].startswith("=")  # the frame given is not changed
    mixed = pd.DataFrame({"m": pd.Series(["=1", -1, None, "-x", 2.5], dtype=object)})
    assert spreadsheet_safe(mixed)["m"].tolist() == ["'=1", -1, None, "'-x", 2.5]
    plain = pd.DataFrame({"a": ["x", "y"], "b": [-1, 2]})
    assert spreadsheet_safe(plain) is plain  # nothing to change: no copy


def test_the_handout_csv_is_spreadsheet_safe(tmp_path):
    from medspa_kit import evaluate, preset
    from medspa_kit.report import write_handout

    named = [("=HYPERLINK(\"http://evil\",\"open\")", evaluate(preset("botox-forehead-lines"))),
             ("@SUM(1+1)", evaluate(preset("botox-underarm-sweating")))]
    _, csv_path = write_handout(named, tmp_path)
    header = csv_path.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",\"'=HYPERLINK(\"\"http://evil\"\",\"\"open\"\")\",'@SUM(1+1)"
    table = pd.read_csv(csv_path, index_col=0)
    assert table.loc["Patient pays"].tolist() == ["$480.00", "$385.20"]
