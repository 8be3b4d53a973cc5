from . import itsm_ticket_escalate
