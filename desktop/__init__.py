"""和解台 Hejie: offline consumer-complaint handling for stations and sub-bureaus."""

__version__ = "0.1.0"
