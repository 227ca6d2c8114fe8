"""python -m desktop: the program."""

import sys

from desktop.app import main

sys.exit(main())
