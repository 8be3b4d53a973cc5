from . import itsm_ticket_vendor_escalate
