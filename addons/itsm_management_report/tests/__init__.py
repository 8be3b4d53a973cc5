from . import test_i18n
from . import test_management_report
from . import test_management_report_job
from . import test_management_report_delivery
