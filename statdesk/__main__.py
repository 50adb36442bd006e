"""`python -m statdesk` runs the command line."""

from statdesk.cli import main

raise SystemExit(main())
