"""The ``medspa-kit`` command (docs/scenario.md describes the files it reads).

Bad input exits 2 with one line on stderr naming the field and the value; a dataset problem
found by ``validate`` exits 1. An error reading or writing a file or a standard stream (a full
disk, standard output closed or on a full device, no standard input) is one line and exit 2
too; Ctrl-C exits 130 and SIGTERM 143, both unwinding so that no half-written file is left. No
traceback reaches the user.
"""

from __future__ import annotations

if __name__ == "__main__":  # run as `python -m medspa_kit.cli`: a stop is one line while the modules below load too
    from medspa_kit._listen import listen

    listen()

import argparse
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Sequence

from . import __version__
from .errors import (ON_PUT_IN_PLACE, PARTIAL_OUTPUTS, PARTIAL_OUTPUTS_LOCK, STOP_REQUESTED, STOPS_HELD, MedspaError,
                     shortened)

if TYPE_CHECKING:
    from .model import Scenario

EXIT_BAD_INPUT = 2
EXIT_INVALID_DATA = 1


def whole_number(text: str) -> int:
    """An option's whole number in ASCII digits (``12``; no ``1_2``, no ``１２``): every command's."""
    if not re.fullmatch(r"\s*[0-9]+\s*", text):
        raise argparse.ArgumentTypeError(f"{shortened(repr(text), 80)} is not a whole number (digits 0-9)")
    return int(text)


def output_name(text: str) -> str:
    """A file to write, as given: a name that ends in ``/`` names a folder, not the file; an empty
    one names nothing (it was read as the option not given: nothing written, and exit 0)."""
    if not text:
        raise argparse.ArgumentTypeError("an empty name: give the output's file name")
    if text.endswith(("/", os.sep)):
        raise argparse.ArgumentTypeError(f"{shortened(repr(text), 80)} ends in /: give the output's name without the /")
    return text


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (a larger number would wrap around to another port)."""
    port = whole_number(text)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (1 to 65535)")
    return port


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {shortened(message)} (see {self.prog} --help)\n")


def _fail(message: str) -> int:
    if sys.stderr is not None:  # with standard error closed there is nowhere to say it
        try:
            print(f"medspa-kit: {message}", file=sys.stderr)
        except OSError:
            pass
    return EXIT_BAD_INPUT


def scenario_from_args(args: argparse.Namespace) -> "Scenario":
    """The scenario a command names: ``--preset NAME``, a FILE, or ``-`` for stdin (one of them)."""
    from .errors import ScenarioError
    from .files import not_empty, read_stream
    from .model import Scenario, load_scenario
    from .presets import preset

    if (args.file is None) == (args.preset is None):
        raise ScenarioError.one("scenario", "give a scenario FILE or --preset NAME (one of them)")
    if args.preset is not None:
        return preset(args.preset)
    if args.file == "-":
        return Scenario.from_json(not_empty(read_stream(sys.stdin, "standard input"), "standard input"))
    return load_scenario(args.file)


def cmd_estimate(args: argparse.Namespace) -> int:
    from .engine import evaluate
    from .explain import summary

    if (args.file is None) == (args.preset is None):
        return _fail("give a scenario FILE or --preset NAME (one of them)")
    outcome = evaluate(scenario_from_args(args))
    if args.json:
        print(outcome.to_json())
    else:
        print(summary(outcome))
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    from .presets import preset_info

    info = preset_info()
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    width = max(len(name) for name in info)
    for name, row in info.items():
        print(f"{name:<{width}}  {row['title']}")
    return 0


def cmd_procedures(args: argparse.Namespace) -> int:
    from .catalog import default_catalog

    cat = default_catalog()
    width = max(len(p.id) for p in cat.procedures.values())
    print(f"{'id':<{width}}  {'code':<6} {'cash':>9} {'fee sched':>10}  name")
    for p in cat.procedures.values():
        fee = f"${p.fee_schedule:,.2f}" if p.fee_schedule is not None else "—"
        print(f"{p.id:<{width}}  {p.code or '—':<6} {'$' + format(p.cash_price, ',.2f'):>9} {fee:>10}  {p.name}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalog.store import given_folder
    from .errors import FileError
    from .validation import problem_lines, validate_datasets

    if args.folder is not None and not args.folder.strip():  # ('' was read as no folder: the bundled ones passed)
        raise FileError("folder", f"{args.folder!r} names no folder: give the datasets folder, or none for the kit's own")
    folder = given_folder(args.folder)
    problems = validate_datasets(folder)
    if problems:
        for line in problem_lines(problems):
            print(f"medspa-kit: {line}", file=sys.stderr)
        print(f"{len(problems):,} problem{'s' if len(problems) != 1 else ''} in {folder}", file=sys.stderr)
        return EXIT_INVALID_DATA
    print(f"datasets OK: {folder}")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    from .lab import start_lab

    return start_lab(args.folder, args.extra)


CULL_MINUTES_MAX = 7 * 24 * 60
"""minutes: the longest a workshop visitor's idle kernel is kept"""


def cmd_workshop(args: argparse.Namespace) -> int:
    from .workshop import start_workshop

    if not 1 <= args.cull_idle_minutes <= CULL_MINUTES_MAX:
        return _fail(f"--cull-idle-minutes: {args.cull_idle_minutes} is not a number of minutes from 1 to "
                     f"{CULL_MINUTES_MAX:,} (a week)")
    return start_workshop(args.folder, args.port, args.cull_idle_minutes, args.extra)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "estimate": cmd_estimate,
    "presets": cmd_presets,
    "procedures": cmd_procedures,
    "validate": cmd_validate,
    "lab": cmd_lab,
    "workshop": cmd_workshop,
}

# Other modules add their sub-commands here: name → (help, add_arguments, run).
EXTENSIONS: list[str] = ["medspa_kit.cli_batch", "medspa_kit.cli_finance", "medspa_kit.cli_edi", "medspa_kit.cli_year"]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="medspa-kit",
        description="Will insurance pay for this med-spa service, and if not, what will it really cost?",
    )
    parser.add_argument("--version", action="version", version=f"medspa-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("estimate", help="adjudicate one scenario and explain the outcome")
    p.add_argument("file", nargs="?", metavar="SCENARIO.json", help="scenario file (see docs/scenario.md), or - for stdin")
    p.add_argument("--preset", metavar="NAME", help="use a bundled preset instead of a file (see `presets`)")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")

    p = sub.add_parser("presets", help="list the bundled preset scenarios")
    p.add_argument("--json", action="store_true", help="print name → title and lesson as JSON")

    sub.add_parser("procedures", help="list the services in the catalog with their codes and prices")

    p = sub.add_parser("validate", help="check every dataset (schema, sources, codes, NPIs, references)")
    p.add_argument("folder", nargs="?", help="a datasets folder (default: the bundled one)")

    p = sub.add_parser("lab", help="start JupyterLab on the bundled notebooks (other options go to jupyter lab)")
    p.add_argument("--folder", help="where to open the notebooks (default: the project's notebooks/)")

    p = sub.add_parser("workshop", help="serve the workshop scenario lab as an app with no code (Voila)")
    p.add_argument("--folder", help="where to put the notebooks (default: the project's notebooks/)")
    p.add_argument("--port", type=port_number, help="port to serve on, 1-65535 (default: Voila's 8866)")
    p.add_argument("--cull-idle-minutes", type=whole_number, default=30, metavar="N",
                   help=f"shut down a visitor's kernel after N idle minutes, 1 to {CULL_MINUTES_MAX:,} (default 30)")

    from importlib import import_module

    for module_name in EXTENSIONS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue
        module.register(sub, COMMANDS)
    return parser


_PUT_IN_PLACE: list[bool] = []
"""set once the command puts its first output in place, or has its answer (its exit code or the
error it ends with): from then on a signal is too late, and the command ends as it would have"""


def _putting_in_place() -> None:
    _PUT_IN_PLACE.append(True)


def main(argv: Sequence[str] | None = None, *, final: bool = False) -> int:
    """Run the command line (``argv``: its words, default ``sys.argv[1:]``); returns the exit code.

    ``final``: the process ends when this returns (the installed ``medspa-kit``): Ctrl-C and
    SIGTERM are then ignored on the way out, as after the command's first output is put in
    place, since nothing is left to stop; otherwise the previous handlers are given back."""
    # Signals are listened for first: this module imports nothing heavy, so a Ctrl-C while pandas
    # and numpy load (inside the try, with the commands) is the one line, never a traceback.
    stdout, stderr = sys.stdout, sys.stderr
    finished = threading.Event()
    unraisable = sys.unraisablehook
    sys.unraisablehook = _stop_kept_not_shown(unraisable)  # (first: a stop may be lost from the next line on)
    previous: dict[int, Any] = {}
    _PUT_IN_PLACE.clear()
    ON_PUT_IN_PLACE.append(_putting_in_place)
    try:
        previous.update(_stop_on_signals())  # (inside the try: a signal from the first handler on is a stop)
        if previous:
            threading.Thread(target=_end_a_stop_that_hangs, args=(finished, _descriptor_copy(2)),
                             daemon=True).start()
        # A terminal that is not UTF-8 never gets a traceback: the results show "?" for "·" and "—", and
        # a message keeps the value it names as an escape (a fullwidth '２' is '\uff12', not '?').
        for stream, errors in ((stdout, "replace"), (stderr, "backslashreplace")):
            if stream is not None and hasattr(stream, "reconfigure"):
                stream.reconfigure(errors=errors)
        sys.stdout = _Output(stdout)
        if stderr is None:  # closed: its messages go nowhere, not into standard output
            sys.stderr = open(os.devnull, "w", encoding="utf-8")
        parser = build_parser()
        args, unknown = parser.parse_known_args(argv)
        if unknown and args.command not in ("lab", "workshop"):
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.extra = unknown
        _no_nul(args)
        if args.command is None:
            parser.print_help()
            return _flushed(0)
        code = COMMANDS[args.command](args)
        if STOP_REQUESTED:  # (the signal's exception was lost in a destructor; nothing was put in place)
            raise STOP_REQUESTED[0]()
        return _flushed(code)
    except BaseException as err:  # (each kind answered in one line by _answer; anything else re-raised)
        _PUT_IN_PLACE.append(True)  # (the answer is this one: a signal now would break into its line)
        return _answer(err, stdout)
    finally:
        _PUT_IN_PLACE.append(True)  # (a signal while the command ends: too late, it ends as it would have)
        finished.set()
        ON_PUT_IN_PLACE.remove(_putting_in_place)
        if STOP_REQUESTED or (final and previous):
            _ignore_signals()  # (the hook stays: a signal still on its way is dropped, not printed, at the end)
        else:
            sys.unraisablehook = unraisable
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if sys.stderr is not stderr:
            sys.stderr.close()
        sys.stdout, sys.stderr = stdout, stderr
        STOP_REQUESTED.clear()


def _answer(err: BaseException, stdout: Any) -> int:
    """The exit code for what ended the command, with its one line on stderr; an exception of no
    kind the command line answers (a bug) is raised again."""
    if STOP_REQUESTED or isinstance(err, (KeyboardInterrupt, _Terminated)):
        # Once a signal asked for a stop, whatever reached here is that stop: a library may have
        # wrapped the KeyboardInterrupt it met (pydantic-core's SchemaError does, building a model).
        stop = STOP_REQUESTED[0] if STOP_REQUESTED else type(err)
        line, code = _STOP_WORDS[KeyboardInterrupt if issubclass(stop, KeyboardInterrupt) else _Terminated]
        print(line, file=sys.stderr)
        return code
    if isinstance(err, SystemExit):  # --help, --version, a usage error: argparse has printed its words
        try:
            return _flushed(err.code if isinstance(err.code, int) else EXIT_BAD_INPUT)
        except _StdoutFailed as failed:
            err = failed
    if isinstance(err, _StdoutFailed):
        _silence_stdout(stdout)
        return _fail(f"cannot write to stdout: {err}")
    if isinstance(err, MedspaError):
        return _fail(str(err))
    if isinstance(err, BrokenPipeError):  # `medspa-kit … | head`: the reader has all it wanted
        _silence_stdout(stdout)
        return 0
    if isinstance(err, OSError):  # one the command did not expect: one line all the same
        name = f"{shortened(repr(str(err.filename)), 120)}: " if err.filename is not None else ""
        return _fail(f"{name}{err.strerror or ' '.join(str(err).split())}")
    raise err


STOP_GRACE_SECONDS = 10.0
"""seconds a stopped command has to unwind before it is ended at once (temporary files removed)"""


def _descriptor_copy(fd: int) -> int:
    """A copy of the descriptor ``fd`` (``fd`` itself when it cannot be copied: closed): standard
    error as the command started, whatever it is pointed at meanwhile (a Dask cluster starts
    with it on the null device). The watchdog closes it as the command ends."""
    try:
        return os.dup(fd)
    except OSError:
        return fd


def _end_a_stop_that_hangs(finished: threading.Event, stderr_fd: int) -> None:
    """Watch, beside the command, for a stop that does not end it. A signal's exception raised at
    an unlucky moment can be lost (inside a destructor or a weak reference's callback) or, raised
    inside importlib's lock callback, leave the import lock held, so that the command waits
    forever on a thread that imports, with later signals ignored. When the command has not ended
    :data:`STOP_GRACE_SECONDS` after a stop was asked for, its temporary files are removed and
    the process exits with the stop's one line and code, written to ``stderr_fd`` (standard error
    as the command started; closed here as the command ends, unless it is 2)."""
    asked = None
    while not finished.wait(0.25):
        stops = list(STOP_REQUESTED)  # (a copy: the command clears it as it ends)
        if not stops:
            continue
        asked = time.monotonic() if asked is None else asked
        if time.monotonic() - asked < STOP_GRACE_SECONDS:
            continue
        # (the lock held to the end: no temporary output can be made after this look and be left;
        # a command stuck while it held the lock is waited for one second at most)
        PARTIAL_OUTPUTS_LOCK.acquire(timeout=1.0)
        for part in list(PARTIAL_OUTPUTS):
            if os.path.isdir(part) and not os.path.islink(part):  # (the Dask batch's folder of parts)
                shutil.rmtree(part, ignore_errors=True)
            else:
                _unlink(part)
        line, code = _STOP_WORDS[KeyboardInterrupt if issubclass(stops[0], KeyboardInterrupt) else _Terminated]
        try:
            os.write(stderr_fd, (line + "\n").encode())
        except OSError:
            pass
        os._exit(code)
    if stderr_fd != 2:
        os.close(stderr_fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _stop_kept_not_shown(hook: Callable[[Any], None]) -> Callable[[Any], None]:
    """``sys.unraisablehook`` for the command: a stop's exception that Python could not raise (in
    a destructor) is not printed ("Exception ignored in …"), since :data:`STOP_REQUESTED` keeps
    it; nor is CPython's note that a later signal found its handler already changed to "ignore"
    ("Signal 2 ignored due to race condition": a second signal, which a stopping command ignores
    anyway, delivered to another thread). Anything else goes to ``hook``."""

    def shown(unraisable: Any) -> None:
        error = unraisable.exc_value
        if isinstance(error, (KeyboardInterrupt, _Terminated)) or (
                isinstance(error, OSError) and "ignored due to race condition" in str(error)):
            return
        hook(unraisable)

    return shown


def _no_nul(args: argparse.Namespace) -> None:
    """Refuse an argument holding a NUL character (possible only from Python: ``main([...])``),
    which no file name can hold, naming the option."""
    from .errors import FileError

    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and "\x00" in item:
                option = "--" + name.replace("_", "-") if name not in ("file", "input", "folder") else name
                raise FileError(option, f"cannot read {item!r}: a file name cannot hold a NUL character")


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that no half-written file is left."""


_STOP_WORDS = {KeyboardInterrupt: ("medspa-kit: interrupted", 130), _Terminated: ("medspa-kit: terminated", 143)}


def _stop_on_signals() -> dict[int, Any]:
    """Make Ctrl-C (SIGINT) and SIGTERM unwind the command, once: the first of them raises
    KeyboardInterrupt or :class:`_Terminated`, and any later one does nothing while the command
    removes its temporary files (a second Ctrl-C would otherwise interrupt that cleanup, leaving a
    ``.part`` file and a traceback). The handler makes both ignored, which processes started from
    then on inherit: a Dask worker that died of the first signal is started again by its nanny, and
    a second Ctrl-C to the process group, reaching it as it loads, printed its traceback. (A signal
    arriving meanwhile finds its handler changed: CPython's note of that race is not shown, see
    :func:`_stop_kept_not_shown`.) Once an output is being put in place (:data:`_PUT_IN_PLACE`), a
    signal is too late to stop anything and does nothing. Returns the previous handlers, to restore
    (none off the main thread, where signals cannot be handled); the stop asked for is in
    :data:`~medspa_kit.errors.STOP_REQUESTED`."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum: int, frame: Any) -> None:
        if STOP_REQUESTED or _PUT_IN_PLACE:  # unwinding from the first signal; or past the point of no return
            return
        STOP_REQUESTED.append(KeyboardInterrupt if signum == signal.SIGINT else _Terminated)
        if hasattr(signal, "pthread_sigmask"):  # later ones wait, undelivered, until the process ends
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        _ignore_signals()  # (and a process started from now on, as a Dask worker started again, ignores them)
        if STOPS_HELD:  # (a part not to break into: the stop is raised as it ends)
            return
        raise KeyboardInterrupt if signum == signal.SIGINT else _Terminated

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signum == signal.SIGINT and signal.getsignal(signum) is signal.SIG_IGN:
            continue  # (started in the background with Ctrl-C ignored: keep it so)
        previous[signum] = signal.signal(signum, stop)
    return previous


def _ignore_signals() -> None:
    """After a signal stopped the command, ignore SIGINT and SIGTERM until the process exits (at
    exit Python gives its handlers back to the system's default, which a late second signal would
    turn into death by that signal instead of the exit code told). A signal that arrived between
    the handler and here is reported by ``signal.signal`` as a race: it is the second one, ignored."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        for _ in range(3):
            try:
                signal.signal(signum, signal.SIG_IGN)
                break
            except OSError:  # (CPython: "Signal N ignored due to race condition")
                continue


class _StdoutFailed(Exception):
    """Standard output could not be written (a full disk, a closed stream); says why."""


class _Output:
    """Standard output, whose failures are told apart from any other error (a closed one fails
    at the first write, as a full one does)."""

    def __init__(self, stream: Any):
        self._stream = stream

    def _call(self, name: str, *args: Any) -> Any:
        if self._stream is None:
            raise _StdoutFailed("it is closed")
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise _StdoutFailed(err.strerror or str(err)) from None

    def write(self, text: str) -> Any:
        return self._call("write", text)

    def flush(self) -> Any:
        return self._call("flush")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _flushed(code: int) -> int:
    """``code``, once standard output is written out (a full disk shows here)."""
    sys.stdout.flush()
    return code


def _silence_stdout(stream: Any) -> None:
    """Point standard output at /dev/null, so that Python's own last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, AttributeError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main(final=True))
