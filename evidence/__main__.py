"""Run the ``evidence`` command as ``python -m evidence``."""

from .cli import main_exit

main_exit()
