"""Reading input files: one streaming reader (`reader`), schema-error wording (`messages`), loaders.

Every problem is an `InputProblem(path, line, field, message)`, printed as
`FILE:LINE: field: message`; a command collects them all and the CLI exits 2.
"""

from .loaders import iter_judgments, load_gold, load_items, load_references
from .reader import iter_records, iter_rows, read_text
from .rubric import load_rubric

__all__ = ["iter_judgments", "iter_records", "iter_rows", "load_gold", "load_items", "load_references", "load_rubric", "read_text"]
