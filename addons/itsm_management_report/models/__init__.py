from . import itsm_management_report
from . import itsm_management_report_line
from . import itsm_management_report_trend
from . import itsm_communication_plan_line
