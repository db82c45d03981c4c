"""Sub-commands of the `leaderkit` command; each module: HELP, add_arguments(parser), run(args)."""
