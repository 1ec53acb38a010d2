"""Ctrl-C and SIGTERM while the command's modules load: one line and the exit code, at once.

Loading pandas and numpy takes a few tenths of a second, and Python answers a Ctrl-C meanwhile
with a traceback from deep inside an import. Nothing is opened or written while the modules load,
so a signal then stops the command at once with its one line and exit code (130 for Ctrl-C, 143
for SIGTERM); once the command runs, :func:`medspa_kit.cli.main` puts its own handlers in place
and unwinds instead, removing any temporary file. This module imports nothing but ``os`` and
``_signal`` (the built-in module under ``signal``, which would first load ``enum``), so that only
Python's own start comes before it: the installed command (:mod:`medspa_kit.command`) and
``python -m medspa_kit.cli`` call :func:`listen` first.
"""

import os

import _signal as signal

_LINES = {signal.SIGINT: (b"medspa-kit: interrupted\n", 130), signal.SIGTERM: (b"medspa-kit: terminated\n", 143)}


def _stop_while_loading(signum: int, frame: object) -> None:
    line, code = _LINES[signum]
    try:
        os.write(2, line)
    except OSError:  # (standard error closed: there is nowhere to say it)
        pass
    os._exit(code)


def listen() -> None:
    """From now until the command line puts its own handlers in place, Ctrl-C or SIGTERM stops the
    command at once with its one line."""
    for signum in _LINES:
        if signum == signal.SIGINT and signal.getsignal(signum) is signal.SIG_IGN:
            continue  # (started in the background with Ctrl-C ignored: keep it so)
        signal.signal(signum, _stop_while_loading)
