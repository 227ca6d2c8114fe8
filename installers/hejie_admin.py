"""Entry script of the bundled `hejie-admin` (the administrators' command line)."""

import sys

from desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
