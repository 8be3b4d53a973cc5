from . import itsm_ticket_rating_wizard
from . import itsm_satisfaction_report_wizard
