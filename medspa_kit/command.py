"""The ``medspa-kit`` command as installed: it listens for Ctrl-C and SIGTERM before anything else
loads (:mod:`medspa_kit._listen`), then runs :func:`medspa_kit.cli.main`.

This module imports nothing before :func:`~medspa_kit._listen.listen` but that module, which
imports only ``os`` and ``_signal``: only Python's own start comes before it.
"""

from ._listen import listen


def main() -> int:
    """Run the command line (``sys.argv``); returns its exit code."""
    listen()
    from .cli import main as command_line

    return command_line(final=True)


if __name__ == "__main__":
    raise SystemExit(main())
