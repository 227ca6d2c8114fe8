"""Files the program writes for people outside it (no Qt, no database): the published
disclosure list as Excel, CSV and a web page."""
