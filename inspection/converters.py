"""Path converters for the project's URLs; importing this module registers them.

A framework code in a URL (a standard such as 2.1, a key question such as 2.1.3) must
look like one before the view sees it: anything else, a NUL byte included, is a 404
from the resolver and never reaches a database query (PostgreSQL refuses NUL in text).
"""

from django.urls import register_converter

# Two to four dot-separated numbers: 1.1, 2.1.3. The length bound keeps a code within
# the code columns of the framework tables.
FRAMEWORK_CODE = r"\d{1,3}(?:\.\d{1,3}){1,3}"


class FrameworkCodeConverter:
    regex = FRAMEWORK_CODE

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FrameworkCodeConverter, "code")
