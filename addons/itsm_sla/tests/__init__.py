from . import test_sla_clock
from . import test_sla_job
from . import test_sla_report
from . import test_sla_portal
from . import test_i18n
from . import test_sla_performance
from . import test_job_concurrency
from . import test_sla_access
