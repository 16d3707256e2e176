"""Data files of hongniang.zh (a package so that setuptools ships them with the [tool.setuptools.package-data] "*" patterns)."""
