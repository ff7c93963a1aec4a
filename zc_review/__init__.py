"""ZC Review (众创社区评审工作站): offline expert review of 众创社区 applications."""

__version__ = "0.1.0"
