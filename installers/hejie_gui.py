"""Entry script of the bundled `hejie` (the window): PyInstaller freezes this file, not the
console-script wrapper pip writes (that one imports an entry point through importlib.metadata,
which a bundle does not carry)."""

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
