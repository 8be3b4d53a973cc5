from . import test_i18n, test_service_report, test_service_report_job, test_service_report_portal
from . import test_service_report_improvement
