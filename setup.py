"""Only what pyproject.toml cannot say: the top-level `resources/` folder installs as the
package directory `desktop/resources/`, so that an installed program finds its fonts, icons,
code tables and rule sets inside its own package (desktop/shipped.py looks there, and beside
`desktop/` in a checkout); likewise docs/ (the user guide shown by 帮助 → 使用说明, and its
screenshots) as `desktop/guide/`. pyproject.toml's `packages.find` (namespaces on, as here) cannot
be combined with a mapped package, hence the list here; package-data is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["desktop*", "district*"]), "desktop.resources",
              "desktop.guide"],
    package_dir={"desktop.resources": "resources", "desktop.guide": "docs"},
)
