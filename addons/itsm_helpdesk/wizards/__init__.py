from . import itsm_ticket_escalate
from . import itsm_major_incident_update
