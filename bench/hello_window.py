"""The yardstick of bench/bench_startup.py: a PySide6 hello-world window."""

import sys

from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
label = QLabel("Hello, world")
label.show()
sys.exit(app.exec())
