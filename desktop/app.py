"""hejie: starts the program (the Qt window); `hejie --demo` opens the demo database."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from desktop.ui.app import main as run_window

    return run_window(argv)


if __name__ == "__main__":
    sys.exit(main())
