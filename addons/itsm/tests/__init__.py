from . import test_access_matrix
from . import test_security_findings
from . import test_demo_history
