"""rationale: teach and check the people who write preference data for AI models."""

import sys as _sys

__version__ = "0.1.0"


class _SqliteUtilsWithoutPandas:
    """While sqlite_utils.db is being imported, pandas is reported missing; nothing else is touched.

    sqlite-utils imports pandas whenever it is installed, only to convert pandas values on insert, and
    rationale never passes any. With pandas 3.1 installed that import cost every command 0.26 s and 33 MB
    (grading the 26 examples: 0.87-0.93 s and 160 MB, against 0.73-0.80 s and 127 MB). sqlite-utils catches the
    ImportError and goes on without it; an import of pandas at any other time, or by anything else, is not
    affected.
    """

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            importing = _sys.modules.get("sqlite_utils.db")
            if importing is not None and getattr(getattr(importing, "__spec__", None), "_initializing", False):
                raise ModuleNotFoundError("pandas is not used by rationale", name="pandas")
        return None


_sys.meta_path.insert(0, _SqliteUtilsWithoutPandas)
