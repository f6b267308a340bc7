"""Development data: the one generator used by the benchmarks (bench/), the load test
(loadtest/), the fault scripts (faults/), the tests and `manage.py generate_dataset`.

Not part of the installed service (pyproject installs `config`, `inspection` and `casereview`
only); it is imported from a checkout of the repository.

    from dataset import DatasetGenerator, default_framework
    generator = DatasetGenerator(framework=default_framework(), prefix="bench", seed=2024)
    generator.generate(20, 50)                      # inspections bench-001 … with teams
    generator.add_cases(inspection, 30, team=[...]) # more cases in an existing inspection

`write_cases` is the bulk writer behind both, for callers that build exact cases
themselves (the tests' published figures); `section_values` is the form data that
fills in a section completely, `section_fields` the values each field accepts.
"""

from dataset.generator import (
    DEFAULT_PASSWORD,
    DatasetGenerator,
    Totals,
    default_framework,
    write_cases,
)
from dataset.sections import section_fields, section_values

__all__ = [
    "DEFAULT_PASSWORD",
    "DatasetGenerator",
    "Totals",
    "default_framework",
    "section_fields",
    "section_values",
    "write_cases",
]
