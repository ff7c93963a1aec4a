"""Python modules compiled from the Qt Designer forms in ``ui/`` (``ui/<name>.ui`` -> ``ui_<name>.py``).

The ``ui_*.py`` modules are generated, git-ignored and never edited by hand: the wheel and
editable builds produce them through ``packaging/hatch_build.py``, and in a checkout
``python packaging/build_qt.py`` does. Nothing loads ``.ui`` files at run time.
"""
