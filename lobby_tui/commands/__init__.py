"""One module per command. Each has `register(subparsers, common)`, which adds its parser and sets
`run(args, lang) -> exit status`; modules import only argparse at the top, so start-up stays fast."""

COMMAND_MODULES = (
    "demo",
    "tier",
    "guide",
    "summary",
    "export",
    "import_customers",
    "import_visits",
    "import_appointments",
    "lookup",
    "serve",
    "audit",
    "sync",
    "hq",
    "config",
    "leads",
    "backup",
    "ticket",
)
