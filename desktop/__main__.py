"""``python -m desktop [FILE...]``: the same program as the ``broadsheet`` command.

The installed desktop entry runs this when Broadsheet is not installed as a package
(a source checkout), and the PyInstaller bundle uses it as its entry script.
"""

import sys

from desktop.launch import gui_main

if __name__ == "__main__":
    sys.exit(gui_main())
