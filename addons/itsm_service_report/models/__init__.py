from . import itsm_issued_report_mixin
from . import itsm_service_report
from . import itsm_service_report_line
from . import itsm_service_report_sla
from . import itsm_service_report_trend
from . import itsm_improvement_action
