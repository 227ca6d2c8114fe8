"""Protection of personal data at rest: the one cipher interface, keys, and what uses them."""
