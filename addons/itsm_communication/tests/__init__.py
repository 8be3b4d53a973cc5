from . import test_i18n
from . import test_stakeholder
from . import test_plan
from . import test_plan_concurrency
from . import test_relationship_review
from . import test_portal
from . import test_coverage
from . import test_agent_figures
