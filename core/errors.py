"""The one small exception hierarchy. Caught only where pressdiff talks to a user: the CLI, the
crawl process's entry point (crawler/run.py, which reports for the CLI), and the importer, which
reports a bad line and goes on with the next."""


class PressdiffError(Exception):
    """Base of every error pressdiff reports to a user as one sentence."""

    exit_code = 1


class InputError(PressdiffError):
    """Bad usage or bad input (a story file, a JSONL line, a query): exit status 2."""

    exit_code = 2


class StoryError(InputError):
    """A story file that does not say what a story must say."""

    def __init__(self, path, key, expected):
        self.path, self.key, self.expected = str(path), key, expected
        where = f"{self.path}: " if self.path else ""
        super().__init__(f"{where}key '{key}': {expected}")


class WorkError(PressdiffError):
    """The work itself failed (a crawl, a site build): exit status 1."""

    exit_code = 1
