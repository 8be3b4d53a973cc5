from . import itsm_sql_report
from . import itsm_recurring_incident
from . import itsm_desk_report
