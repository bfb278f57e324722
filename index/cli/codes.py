"""The command line's subcommands, one module each, each with ``register(subparsers)``."""

#: Exit codes, a contract for scripts: success, a user error (bad query, missing path; one
#: line on stderr), an internal error.
EXIT_OK, EXIT_USER, EXIT_INTERNAL = 0, 1, 2
