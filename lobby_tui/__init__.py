"""lobby_tui: a bank branch lobby manager's terminal app (大堂经理工作台)."""

__version__ = "0.1.0"
