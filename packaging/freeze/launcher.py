"""Entry script of the frozen build: the same `statdesk` command the wheel installs."""

from statdesk.cli import main

raise SystemExit(main())
