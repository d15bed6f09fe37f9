"""Only here to list packages: the fonts under resources/ ship as the package notesdesk._data,
which pyproject's automatic discovery cannot express. Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages("src", include=["notesdesk*"]), "notesdesk._data"])
