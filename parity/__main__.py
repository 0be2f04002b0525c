"""`python -m parity`: see parity/cli.py."""
from .cli import main

raise SystemExit(main())
