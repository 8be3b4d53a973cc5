from . import test_lifecycle
from . import test_security
from . import test_portal
from . import test_review
from . import test_improvement
from . import test_i18n
from . import test_complaint_references
from . import test_performance
