from . import itsm_monitoring_source
from . import itsm_monitoring_alert
from . import itsm_ticket
from . import ir_http
