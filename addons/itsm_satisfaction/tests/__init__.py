from . import test_rating
from . import test_campaign
from . import test_analysis
from . import test_portal_satisfaction
from . import test_i18n
from . import test_job_concurrency
from . import test_satisfaction_improvement
