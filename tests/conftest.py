"""Test-suite settings shared by the unit tests and the notebook runs (nbval).

The notebooks run in the ``ci`` profile unless GANBOOK_PROFILE says otherwise; nbval's kernels
inherit this process's environment. Models the notebooks save go to a temporary folder, so a
test run never overwrites the artifacts of a lecture-profile run.
"""

import os
import tempfile

os.environ.setdefault("GANBOOK_PROFILE", "ci")
os.environ.setdefault("GANBOOK_ARTIFACTS", tempfile.mkdtemp(prefix="ganbook-artifacts-"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
