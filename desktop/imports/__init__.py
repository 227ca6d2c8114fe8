"""Reading an office's old Excel ledgers and hotline work-order exports (issue 19).

cells.py reads one messy cell the way a person reads it; sheets.py opens a workbook or CSV and
finds each sheet's header row below its titles; mapping.py guesses which column holds which
field from the header's wording and keeps named profiles' mappings; plan.py turns each data row
into what it becomes, with its problems. Pure Python (openpyxl, xlrd, csv): no Qt, no SQL. The
write path is services/history_import.py.
"""
