"""Independent, deliberately simple pure-Python versions of the indicator definitions.

They read the same rows as the SQL but share none of its code: loops over dicts, the
definition text followed word by word. Differential tests compare the two.
"""
from .cared_for import *  # noqa: F403
from .common import *  # noqa: F403
from .quality import *  # noqa: F403
from .safeguarding import *  # noqa: F403
from .workforce import *  # noqa: F403
